package dev.ems.tw.device;

import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * tw-service's read model of SC's devices (table {@code device}). Every write is an idempotent
 * upsert, so a redelivered or replayed inventory event changes nothing.
 */
@Repository
public class DeviceDirectory {

  private static final String COLUMNS =
      "id, tenant_id, model, site_id, tags, status, features_revision";

  private final JdbcClient jdbc;

  DeviceDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void created(String tenant, DeviceCreated e) {
    jdbc.sql(
            """
            insert into device (id, tenant_id, serial, model, name, updated_at)
            values (?, ?, ?, ?, ?, ?) on conflict (id) do nothing
            """)
        .params(e.deviceId(), tenant, e.serial(), e.model(), e.name(), ts(e.createdAt()))
        .update();
  }

  void updated(String tenant, DeviceUpdated e) {
    // Another tenant's device with the same id is never overwritten.
    jdbc.sql(
            """
            insert into device (id, tenant_id, serial, model, name, site_id, tags, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do update set serial = excluded.serial, model = excluded.model,
              name = excluded.name, site_id = excluded.site_id, tags = excluded.tags,
              updated_at = excluded.updated_at
            where device.tenant_id = excluded.tenant_id
            """)
        .params(
            e.deviceId(),
            tenant,
            e.serial(),
            e.model(),
            e.name(),
            e.siteId(),
            e.tags() == null ? new String[0] : e.tags().toArray(String[]::new),
            ts(e.updatedAt()))
        .update();
  }

  void decommissioned(String tenant, DeviceDecommissioned e) {
    jdbc.sql(
            "update device set status = 'DECOMMISSIONED', updated_at = ?"
                + " where id = ? and tenant_id = ?")
        .params(ts(e.decommissionedAt()), e.deviceId(), tenant)
        .update();
  }

  public Optional<Device> find(String tenant, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from device where id = ? and tenant_id = ?")
        .params(id, tenant)
        .query(DeviceDirectory::map)
        .optional();
  }

  /** The device, its row locked until the transaction ends: feature changes of one device queue. */
  public Optional<Device> lock(String tenant, UUID id) {
    return jdbc.sql("select " + COLUMNS + " from device where id = ? and tenant_id = ? for update")
        .params(id, tenant)
        .query(DeviceDirectory::map)
        .optional();
  }

  public void setFeaturesRevision(UUID id, long revision) {
    jdbc.sql("update device set features_revision = ? where id = ?").params(revision, id).update();
  }

  /** Active devices of the tenant that match the selector, in id order (stable wave plans). */
  public List<Device> select(String tenant, DeviceSelector selector, int limit) {
    if (selector.isEmpty()) {
      return List.of();
    }
    StringBuilder sql =
        new StringBuilder(
            "select " + COLUMNS + " from device where tenant_id = ? and status = 'ACTIVE'");
    List<Object> params = new ArrayList<>(List.of(tenant));
    if (!selector.tags().isEmpty()) {
      sql.append(" and tags @> ?::text[]");
      params.add(selector.tags().toArray(String[]::new));
    }
    if (selector.siteId() != null) {
      sql.append(" and site_id = ?");
      params.add(selector.siteId());
    }
    if (selector.model() != null && !selector.model().isBlank()) {
      sql.append(" and model = ?");
      params.add(selector.model());
    }
    if (!selector.deviceIds().isEmpty()) {
      sql.append(" and id = any(?::uuid[])");
      params.add(selector.deviceIds().toArray(UUID[]::new));
    }
    sql.append(" order by id limit ?");
    params.add(limit);
    return jdbc.sql(sql.toString()).params(params).query(DeviceDirectory::map).list();
  }

  private static Device map(ResultSet rs, int row) throws SQLException {
    Array tags = rs.getArray("tags");
    return new Device(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("model"),
        rs.getObject("site_id", UUID.class),
        tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()),
        rs.getString("status"),
        rs.getLong("features_revision"));
  }

  private static Timestamp ts(java.time.Instant instant) {
    return Timestamp.from(instant == null ? java.time.Instant.now() : instant);
  }
}
