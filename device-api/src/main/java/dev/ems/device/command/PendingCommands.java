package dev.ems.device.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Commands waiting for a device (table {@code device_command}), delivered at least once: a command
 * is handed out in every heartbeat response until the device acknowledges it — by naming it in a
 * later heartbeat's {@code acknowledgedCommands} or by posting its check result — so a response
 * lost on the way to the device loses nothing. Devices run a command once per id. Expired commands
 * are never handed out, and a result for one is refused.
 *
 * <p>Nearly every heartbeat comes from a device with no command waiting, and asking the database
 * for each cost more than half of device-api's CPU per heartbeat ({@code bench/heartbeats.sh}: the
 * pending-command {@code update … returning} on every heartbeat). So each replica keeps the set of
 * devices that have an unacknowledged, unexpired command, and a heartbeat that acknowledges nothing
 * from a device outside it is answered without the database. The set is read again from the
 * database every {@code device-api.commands.refresh-interval} (2 s; the commands this replica's
 * listener stores are in it at once): a command another replica stored reaches its device at most
 * one refresh plus one heartbeat later, and nothing is lost — the database stays the record, and a
 * device leaves the set only when a refresh no longer finds a command of its.
 */
@Component
public class PendingCommands {

  /** A command as the device receives it. */
  public record Command(UUID commandId, String type, Map<String, String> parameters) {}

  /** What a check result's command is to this device. */
  public enum ResultCheck {
    ACCEPTED,
    UNKNOWN,
    EXPIRED
  }

  private static final Logger log = LoggerFactory.getLogger(PendingCommands.class);

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final org.springframework.transaction.support.TransactionTemplate tx;
  // devices with an unacknowledged, unexpired command, as of the last refresh plus those stored
  // since
  private final Set<UUID> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Counter skipped;
  private final Counter looked;

  PendingCommands(
      JdbcClient jdbc,
      JsonMapper json,
      MeterRegistry meters,
      org.springframework.transaction.support.TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.json = json;
    this.skipped = lookups(meters, "skipped");
    this.looked = lookups(meters, "queried");
  }

  private static Counter lookups(MeterRegistry meters, String database) {
    return Counter.builder("device_api.command.lookups")
        .tag("database", database)
        .description("Heartbeats' pending-command lookups, with or without the database")
        .register(meters);
  }

  /**
   * Reads again which devices have a command waiting. A device marked while the query ran stays
   * marked; one that the query no longer finds leaves the set (its commands were acknowledged or
   * expired, on any replica). If the database cannot be read the set stays as it was.
   */
  @Scheduled(
      fixedDelayString = "${device-api.commands.refresh-interval:PT2S}",
      initialDelayString = "PT0S")
  void refresh() {
    Set<UUID> before = Set.copyOf(waiting);
    Set<UUID> now;
    try {
      now =
          new HashSet<>(
              jdbc.sql(
                      "select distinct device_id from device_command"
                          + " where acknowledged_at is null and expires_at > now()")
                  .query(UUID.class)
                  .list());
    } catch (RuntimeException e) {
      log.warn("Pending commands not refreshed: {}", e.toString());
      return;
    }
    for (UUID device : before) {
      if (!now.contains(device)) {
        waiting.remove(device);
      }
    }
    waiting.addAll(now);
  }

  void add(
      UUID commandId,
      UUID deviceId,
      String tenant,
      String type,
      Map<String, String> parameters,
      java.time.Instant expiresAt) {
    jdbc.sql(
            """
            insert into device_command (command_id, device_id, tenant_id, type, parameters,
              expires_at) values (?, ?, ?, ?, ?::jsonb, ?) on conflict (command_id) do nothing
            """)
        .params(
            commandId,
            deviceId,
            tenant,
            type,
            json.writeValueAsString(parameters == null ? Map.of() : parameters),
            Timestamp.from(expiresAt))
        .update();
    waiting.add(deviceId);
  }

  /**
   * Records the device's acknowledgements, then returns its unexpired unacknowledged commands
   * (those just acknowledged excluded), each counted as handed out once more.
   */
  public List<Command> takePending(UUID deviceId, List<UUID> acknowledged) {
    boolean acknowledges = acknowledged != null && !acknowledged.isEmpty();
    if (!acknowledges && !waiting.contains(deviceId)) {
      // no transaction either: it would take a connection from the pool
      skipped.increment();
      return List.of();
    }
    looked.increment();
    return tx.execute(status -> take(deviceId, acknowledges ? acknowledged : List.of()));
  }

  private List<Command> take(UUID deviceId, List<UUID> acknowledged) {
    if (!acknowledged.isEmpty()) {
      jdbc.sql(
              "update device_command set acknowledged_at = now() where device_id = ?"
                  + " and command_id = any(?) and acknowledged_at is null")
          .params(deviceId, acknowledged.toArray(UUID[]::new))
          .update();
    }
    return jdbc.sql(
            """
            update device_command set delivered_at = now(), hand_outs = hand_outs + 1
            where device_id = ? and acknowledged_at is null and expires_at > now()
            returning command_id, type, parameters::text
            """)
        .param(deviceId)
        .query(
            (rs, n) ->
                new Command(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    json.readValue(rs.getString(3), new TypeReference<Map<String, String>>() {})))
        .list();
  }

  /**
   * A check result acknowledges its command: accepted for a command handed to this device that has
   * not expired (or whose result was already accepted: the device's retry), else unknown (never
   * this device's) or expired.
   */
  @Transactional
  public ResultCheck acceptResult(UUID deviceId, UUID commandId) {
    int accepted =
        jdbc.sql(
                """
                update device_command set acknowledged_at = coalesce(acknowledged_at, now()),
                  result_at = coalesce(result_at, now())
                where command_id = ? and device_id = ?
                  and (expires_at > now() or result_at is not null)
                """)
            .params(commandId, deviceId)
            .update();
    if (accepted == 1) {
      return ResultCheck.ACCEPTED;
    }
    boolean exists =
        jdbc.sql("select 1 from device_command where command_id = ? and device_id = ?")
            .params(commandId, deviceId)
            .query(Integer.class)
            .optional()
            .isPresent();
    return exists ? ResultCheck.EXPIRED : ResultCheck.UNKNOWN;
  }
}
