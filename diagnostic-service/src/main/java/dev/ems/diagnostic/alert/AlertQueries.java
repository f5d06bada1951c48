package dev.ems.diagnostic.alert;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Reads and acknowledges alerts, always within one tenant. */
@Repository
class AlertQueries {

  record AlertView(
      UUID id,
      UUID deviceId,
      String condition,
      String severity,
      String message,
      String status,
      Instant openedAt,
      Instant lastRaisedAt,
      Instant clearSince,
      Instant resolvedAt,
      int occurrences,
      Instant acknowledgedAt,
      String acknowledgedBy) {}

  record Filter(String status, UUID deviceId, String severity, Boolean acknowledged) {}

  private static final String COLUMNS =
      "id, device_id, condition, severity, message, opened_at, last_raised_at, clear_since,"
          + " resolved_at, occurrences, acknowledged_at, acknowledged_by";

  private final JdbcClient jdbc;

  AlertQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<AlertView> list(String tenant, Filter filter, int page, int size) {
    List<Object> params = new ArrayList<>();
    String where = where(tenant, filter, params);
    params.add(size);
    params.add((long) page * size);
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from alert"
                + where
                + " order by opened_at desc, id limit ? offset ?")
        .params(params)
        .query(AlertQueries::map)
        .list();
  }

  long count(String tenant, Filter filter) {
    List<Object> params = new ArrayList<>();
    String where = where(tenant, filter, params);
    return jdbc.sql("select count(*) from alert" + where).params(params).query(Long.class).single();
  }

  Optional<AlertView> find(String tenant, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from alert where tenant_id = ? and id = ?")
        .params(tenant, id)
        .query(AlertQueries::map)
        .optional();
  }

  /** Acknowledges once; acknowledging again keeps the first acknowledgement. */
  @Transactional
  Optional<AlertView> acknowledge(String tenant, UUID id, String by, Instant at) {
    jdbc.sql(
            "update alert set acknowledged_at = ?, acknowledged_by = ?"
                + " where tenant_id = ? and id = ? and acknowledged_at is null")
        .params(Timestamp.from(at), by, tenant, id)
        .update();
    return find(tenant, id);
  }

  private static String where(String tenant, Filter filter, List<Object> params) {
    StringBuilder sql = new StringBuilder(" where tenant_id = ?");
    params.add(tenant);
    switch (filter.status()) {
      case "OPEN" -> sql.append(" and resolved_at is null");
      case "RESOLVED" -> sql.append(" and resolved_at is not null");
      default -> {}
    }
    if (filter.deviceId() != null) {
      sql.append(" and device_id = ?");
      params.add(filter.deviceId());
    }
    if (filter.severity() != null) {
      sql.append(" and severity = ?");
      params.add(filter.severity());
    }
    if (filter.acknowledged() != null) {
      sql.append(
          filter.acknowledged()
              ? " and acknowledged_at is not null"
              : " and acknowledged_at is null");
    }
    return sql.toString();
  }

  private static AlertView map(ResultSet rs, int n) throws SQLException {
    Instant resolved = instant(rs, "resolved_at");
    return new AlertView(
        rs.getObject("id", UUID.class),
        rs.getObject("device_id", UUID.class),
        rs.getString("condition"),
        rs.getString("severity"),
        rs.getString("message"),
        resolved == null ? "OPEN" : "RESOLVED",
        instant(rs, "opened_at"),
        instant(rs, "last_raised_at"),
        instant(rs, "clear_since"),
        resolved,
        rs.getInt("occurrences"),
        instant(rs, "acknowledged_at"),
        rs.getString("acknowledged_by"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
