package dev.ems.sc.changeset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Change sets and their devices (tables {@code change_set}, {@code change_set_device}). */
@Repository
class ChangeSetStore {

  private static final String COLUMNS =
      "id, tenant_id, description, author_key_id, author, status, apply_mode,"
          + " operations::text as operations, approved_by, approved_at, failure_reason,"
          + " created_at, updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ChangeSetStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(ChangeSet c) {
    jdbc.sql(
            "insert into change_set (id, tenant_id, description, author_key_id, author, status,"
                + " apply_mode, operations, created_at, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")
        .params(
            c.id(),
            c.tenant(),
            c.description(),
            c.authorKeyId(),
            c.author(),
            c.status().name(),
            c.apply().name(),
            json.writeValueAsString(c.operations()),
            Timestamp.from(c.createdAt()),
            Timestamp.from(c.updatedAt()))
        .update();
  }

  void replace(
      UUID id, String description, ChangeSet.ApplyMode apply, List<StagedOperation> operations) {
    jdbc.sql(
            "update change_set set description = ?, apply_mode = ?, operations = ?::jsonb,"
                + " updated_at = now() where id = ?")
        .params(description, apply.name(), json.writeValueAsString(operations), id)
        .update();
  }

  Optional<ChangeSet> find(String tenant, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from change_set where id = ? and tenant_id = ?")
        .params(id, tenant)
        .query((rs, n) -> map(rs))
        .optional();
  }

  /** The set, its row locked for the rest of the transaction. */
  Optional<ChangeSet> lock(String tenant, UUID id) {
    return jdbc.sql(
            "select " + COLUMNS + " from change_set where id = ? and tenant_id = ? for update")
        .params(id, tenant)
        .query((rs, n) -> map(rs))
        .optional();
  }

  List<ChangeSet> list(String tenant) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from change_set where tenant_id = ? order by created_at desc limit 200")
        .param(tenant)
        .query((rs, n) -> map(rs))
        .list();
  }

  void approve(UUID id, String by, UUID keyId, Instant at) {
    jdbc.sql(
            "update change_set set status = 'APPROVED', approved_by = ?, approved_key_id = ?,"
                + " approved_at = ?, updated_at = now() where id = ?")
        .params(by, keyId, Timestamp.from(at), id)
        .update();
  }

  void setStatus(UUID id, ChangeSet.Status status) {
    jdbc.sql("update change_set set status = ?, updated_at = now() where id = ?")
        .params(status.name(), id)
        .update();
  }

  void addDevice(UUID changeSetId, UUID deviceId, String tenant, Instant dueAt) {
    jdbc.sql(
            "insert into change_set_device (change_set_id, device_id, tenant_id, status, due_at)"
                + " values (?, ?, ?, 'PENDING', ?) on conflict do nothing")
        .params(changeSetId, deviceId, tenant, Timestamp.from(dueAt))
        .update();
  }

  void removeDevices(UUID changeSetId) {
    jdbc.sql("delete from change_set_device where change_set_id = ?").param(changeSetId).update();
  }

  List<ChangeSet.DeviceState> devices(UUID changeSetId) {
    return jdbc.sql(
            "select device_id, status, due_at, request_id, config_version, failure_reason"
                + " from change_set_device where change_set_id = ? order by device_id")
        .param(changeSetId)
        .query(
            (rs, n) ->
                new ChangeSet.DeviceState(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getObject(4, UUID.class),
                    (Integer) rs.getObject(5),
                    rs.getString(6)))
        .list();
  }

  private ChangeSet map(ResultSet rs) throws SQLException {
    Timestamp approved = rs.getTimestamp("approved_at");
    return new ChangeSet(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("description"),
        rs.getObject("author_key_id", UUID.class),
        rs.getString("author"),
        ChangeSet.Status.valueOf(rs.getString("status")),
        ChangeSet.ApplyMode.valueOf(rs.getString("apply_mode")),
        json.readValue(rs.getString("operations"), new TypeReference<List<StagedOperation>>() {}),
        rs.getString("approved_by"),
        approved == null ? null : approved.toInstant(),
        rs.getString("failure_reason"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
