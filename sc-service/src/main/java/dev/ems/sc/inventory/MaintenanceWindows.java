package dev.ems.sc.inventory;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Sites' maintenance windows (column {@code site.maintenance_window}, JSON). */
@Repository
public class MaintenanceWindows {

  /** The stored and served form. */
  record Stored(List<String> days, String start, int durationMinutes, String timeZone) {

    static Stored of(MaintenanceWindow w) {
      return new Stored(
          EnumSet.copyOf(w.days()).stream().map(DayOfWeek::name).toList(),
          w.start().toString(),
          (int) w.duration().toMinutes(),
          w.zone().getId());
    }

    MaintenanceWindow window() {
      return new MaintenanceWindow(
          EnumSet.copyOf(days.stream().map(DayOfWeek::valueOf).toList()),
          LocalTime.parse(start),
          Duration.ofMinutes(durationMinutes),
          ZoneId.of(timeZone));
    }
  }

  private final JdbcClient jdbc;
  private final JsonMapper json;

  MaintenanceWindows(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The window of the tenant's site; empty when the site has none (or is not the tenant's). */
  public Optional<MaintenanceWindow> of(String tenant, UUID siteId) {
    return jdbc.sql(
            "select maintenance_window::text from site where id = ? and tenant_id = ?"
                + " and maintenance_window is not null")
        .params(siteId, tenant)
        .query(String.class)
        .optional()
        .map(text -> json.readValue(text, Stored.class).window());
  }

  void set(UUID siteId, MaintenanceWindow window) {
    jdbc.sql("update site set maintenance_window = ?::jsonb, updated_at = now() where id = ?")
        .params(window == null ? null : json.writeValueAsString(Stored.of(window)), siteId)
        .update();
  }
}
