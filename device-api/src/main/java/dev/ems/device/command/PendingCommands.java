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
 * Commands waiting for a device (table {@code device_command}), handed out once in the device's
 * next heartbeat response; expired ones are never handed out.
 */
@Component
public class PendingCommands {

  /** A command as the device receives it. */
  public record Command(UUID commandId, String type, Map<String, String> parameters) {}

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

  /** The device's unexpired undelivered commands, marked delivered. */
  @Transactional
  public List<Command> takePending(UUID deviceId) {
    return jdbc.sql(
            """
            update device_command set delivered_at = now()
            where device_id = ? and delivered_at is null and expires_at > now()
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
}
