package dev.ems.device.command;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
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

  private final JdbcClient jdbc;
  private final JsonMapper json;

  PendingCommands(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
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
  }

  /**
   * Records the device's acknowledgements, then returns its unexpired unacknowledged commands
   * (those just acknowledged excluded), each counted as handed out once more.
   */
  @Transactional
  public List<Command> takePending(UUID deviceId, List<UUID> acknowledged) {
    if (acknowledged != null && !acknowledged.isEmpty()) {
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
