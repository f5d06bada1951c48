package dev.ems.diagnostic.check;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** On-demand checks ({@code device_check}); status changes are conditional on PENDING. */
@Repository
class Checks {

  record Check(
      UUID id,
      UUID deviceId,
      String type,
      Map<String, String> parameters,
      String status,
      String output,
      String requestedBy,
      Instant requestedAt,
      Instant expiresAt,
      Instant completedAt) {}

  private static final String COLUMNS =
      "id, device_id, type, parameters::text as parameters, status, output, requested_by,"
          + " requested_at, expires_at, completed_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  Checks(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(String tenant, Check c) {
    jdbc.sql(
            "insert into device_check (id, tenant_id, device_id, type, parameters, status,"
                + " requested_by, requested_at, expires_at) values (?, ?, ?, ?, ?::jsonb,"
                + " 'PENDING', ?, ?, ?)")
        .params(
            c.id(),
            tenant,
            c.deviceId(),
            c.type(),
            json.writeValueAsString(c.parameters()),
            c.requestedBy(),
            Timestamp.from(c.requestedAt()),
            Timestamp.from(c.expiresAt()))
        .update();
  }

  /**
   * Completes a PENDING check; false when it is unknown or already final (then nothing changes).
   */
  boolean complete(
      String tenant, UUID id, UUID deviceId, String status, String output, Instant at) {
    return jdbc.sql(
                "update device_check set status = ?, output = ?, completed_at = ?"
                    + " where id = ? and tenant_id = ? and device_id = ? and status = 'PENDING'")
            .params(status, output, Timestamp.from(at), id, tenant, deviceId)
            .update()
        == 1;
  }

  int timeOut(Instant now) {
    return jdbc.sql(
            "update device_check set status = 'TIMED_OUT', completed_at = expires_at"
                + " where status = 'PENDING' and expires_at <= ?")
        .param(Timestamp.from(now))
        .update();
  }

  Optional<Check> find(String tenant, UUID deviceId, UUID id) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from device_check where tenant_id = ? and device_id = ? and id = ?")
        .params(tenant, deviceId, id)
        .query(this::map)
        .optional();
  }

  List<Check> list(String tenant, UUID deviceId, int page, int size) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from device_check where tenant_id = ? and device_id = ?"
                + " order by requested_at desc, id limit ? offset ?")
        .params(tenant, deviceId, size, (long) page * size)
        .query(this::map)
        .list();
  }

  private Check map(ResultSet rs, int n) throws SQLException {
    return new Check(
        rs.getObject("id", UUID.class),
        rs.getObject("device_id", UUID.class),
        rs.getString("type"),
        json.readValue(rs.getString("parameters"), new TypeReference<Map<String, String>>() {}),
        rs.getString("status"),
        rs.getString("output"),
        rs.getString("requested_by"),
        rs.getTimestamp("requested_at").toInstant(),
        rs.getTimestamp("expires_at").toInstant(),
        rs.getTimestamp("completed_at") == null
            ? null
            : rs.getTimestamp("completed_at").toInstant());
  }
}
