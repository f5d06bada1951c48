package dev.ems.sc.inventory;

import dev.ems.sc.secrets.Secrets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Device listings with filters, straight from SQL (tags need array operators). */
@Component
class DeviceQueries {

  record Filter(String tag, UUID siteId, String model, String configStatus, String status) {}

  record Page(List<DeviceRequests.DeviceResponse> items, long total) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  DeviceQueries(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Page list(String tenant, Filter filter, int page, int size) {
    StringBuilder where = new StringBuilder(" where tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenant));
    if (filter.tag() != null) {
      where.append(" and tags @> array[?]::text[]");
      params.add(filter.tag());
    }
    if (filter.siteId() != null) {
      where.append(" and site_id = ?");
      params.add(filter.siteId());
    }
    if (filter.model() != null) {
      where.append(" and model = ?");
      params.add(filter.model());
    }
    if (filter.configStatus() != null) {
      where.append(" and config_status = ?");
      params.add(filter.configStatus());
    }
    where.append(" and status = ?");
    params.add(filter.status() == null ? "ACTIVE" : filter.status());
    long total =
        jdbc.sql("select count(*) from device" + where).params(params).query(Long.class).single();
    List<Object> pageParams = new ArrayList<>(params);
    pageParams.add(size);
    pageParams.add((long) page * size);
    List<DeviceRequests.DeviceResponse> items =
        jdbc.sql(
                "select id, serial, model, name, site_id, tags, variables::text, status,"
                    + " config_status, replaced_serials, created_at, updated_at from device"
                    + where
                    + " order by created_at, id limit ? offset ?")
            .params(pageParams)
            .query((rs, n) -> map(rs))
            .list();
    return new Page(items, total);
  }

  DeviceRequests.DeviceResponse one(Device d) {
    return new DeviceRequests.DeviceResponse(
        d.id(),
        d.serial(),
        d.model(),
        d.name(),
        d.siteId(),
        d.tags(),
        variables(d.variablesJson()),
        d.status().name(),
        d.configStatus(),
        d.replacedSerials(),
        d.createdAt(),
        d.updatedAt());
  }

  private DeviceRequests.DeviceResponse map(ResultSet rs) throws SQLException {
    return new DeviceRequests.DeviceResponse(
        rs.getObject("id", UUID.class),
        rs.getString("serial"),
        rs.getString("model"),
        rs.getString("name"),
        rs.getObject("site_id", UUID.class),
        strings(rs.getArray("tags")),
        variables(rs.getString("variables")),
        rs.getString("status"),
        rs.getString("config_status"),
        strings(rs.getArray("replaced_serials")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  /** As operators see them: secrets masked. */
  private Map<String, Object> variables(String text) {
    return Secrets.redacted(json.readValue(text, new TypeReference<Map<String, Object>>() {}));
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }
}
