package dev.ems.diagnostic.alert;

import dev.ems.common.error.ErrorCode;
import dev.ems.diagnostic.alert.AlertQueries.AlertView;
import dev.ems.diagnostic.alert.AlertQueries.Filter;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alerts of the caller's tenant: list with filters, read, acknowledge. */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertController {

  private static final Set<String> STATUSES = Set.of("OPEN", "RESOLVED", "ALL");
  private static final Set<String> SEVERITIES = Set.of("WARNING", "CRITICAL");

  private final AlertQueries alerts;
  private final Clock clock;

  AlertController(AlertQueries alerts, Clock clock) {
    this.alerts = alerts;
    this.clock = clock;
  }

  record AlertPage(List<AlertView> items, int page, int size, long total) {}

  @RequiresRole(Role.VIEWER)
  @GetMapping
  AlertPage list(
      @RequestParam(defaultValue = "OPEN") String status,
      @RequestParam(required = false) UUID deviceId,
      @RequestParam(required = false) String severity,
      @RequestParam(required = false) Boolean acknowledged,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    String s = oneOf(status, STATUSES, "status");
    String sev = severity == null ? null : oneOf(severity, SEVERITIES, "severity");
    var filter = new Filter(s, deviceId, sev, acknowledged);
    return new AlertPage(
        alerts.list(caller.tenant(), filter, page, size),
        page,
        size,
        alerts.count(caller.tenant(), filter));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  AlertView get(@PathVariable UUID id, Caller caller) {
    return alerts
        .find(caller.tenant(), id)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.ALERT_NOT_FOUND, id));
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/acknowledge")
  AlertView acknowledge(@PathVariable UUID id, Caller caller) {
    return alerts
        .acknowledge(caller.tenant(), id, caller.keyName(), clock.instant())
        .orElseThrow(() -> EmsException.notFound(ErrorCode.ALERT_NOT_FOUND, id));
  }

  private static String oneOf(String value, Set<String> allowed, String field) {
    String v = value.toUpperCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, field + " must be one of " + allowed, field);
    }
    return v;
  }
}
