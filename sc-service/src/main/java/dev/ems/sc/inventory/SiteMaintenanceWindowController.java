package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.NotNull;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A site's maintenance window, when change sets applied {@code MAINTENANCE_WINDOW} reach its
 * devices. A window that never opens (no days, no duration, a zone that does not exist) is refused
 * naming the field; a site without a window takes changes at once.
 */
@RestController
@RequestMapping("/api/v1/sites/{id}/maintenance-window")
class SiteMaintenanceWindowController {

  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

  /** {@code days}: MONDAY..SUNDAY; {@code start}: HH:mm local; {@code timeZone}: IANA id. */
  record WindowBody(
      @NotNull List<String> days,
      @NotNull String start,
      @NotNull Integer durationMinutes,
      @NotNull String timeZone) {}

  private final SiteRepository sites;
  private final MaintenanceWindows windows;

  SiteMaintenanceWindowController(SiteRepository sites, MaintenanceWindows windows) {
    this.sites = sites;
    this.windows = windows;
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  WindowBody get(@PathVariable UUID id, Caller caller) {
    require(caller, id);
    var stored =
        windows
            .of(caller.tenant(), id)
            .map(MaintenanceWindows.Stored::of)
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.NOT_FOUND, "Site " + id + " has no maintenance window"));
    return new WindowBody(
        stored.days(), stored.start(), stored.durationMinutes(), stored.timeZone());
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping
  @Transactional
  WindowBody put(
      @PathVariable UUID id,
      @jakarta.validation.Valid @RequestBody WindowBody body,
      Caller caller) {
    require(caller, id);
    windows.set(id, parse(body));
    return get(id, caller);
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping
  @Transactional
  ResponseEntity<Void> delete(@PathVariable UUID id, Caller caller) {
    require(caller, id);
    windows.set(id, null);
    return ResponseEntity.noContent().build();
  }

  static MaintenanceWindow parse(WindowBody body) {
    if (body.days().isEmpty()) {
      throw invalid("days", "A window needs at least one day, else it never opens");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < body.days().size(); i++) {
      String day = body.days().get(i);
      try {
        days.add(DayOfWeek.valueOf(day == null ? "" : day.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw invalid("days[" + i + "]", "Not a day of the week (MONDAY..SUNDAY): " + day);
      }
    }
    if (!HH_MM.matcher(body.start()).matches()) {
      throw invalid("start", "The start is a local time HH:mm");
    }
    if (body.durationMinutes() < 1 || body.durationMinutes() > 1440) {
      throw invalid(
          "durationMinutes", "The duration is 1 to 1440 minutes; a window of 0 never opens");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(body.timeZone());
    } catch (DateTimeException e) {
      throw invalid("timeZone", "Not an IANA time zone: " + body.timeZone());
    }
    try {
      return new MaintenanceWindow(
          days, LocalTime.parse(body.start()), Duration.ofMinutes(body.durationMinutes()), zone);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw invalid("start", e.getMessage());
    }
  }

  private void require(Caller caller, UUID id) {
    if (sites.findByIdAndTenant(id, caller.tenant()).isEmpty()) {
      throw EmsException.notFound(ErrorCode.SITE_NOT_FOUND, id);
    }
  }

  private static EmsException invalid(String field, String message) {
    return new EmsException(ErrorCode.VALIDATION_FAILED, message, field);
  }
}
