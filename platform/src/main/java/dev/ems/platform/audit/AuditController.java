package dev.ems.platform.audit;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's tenant's audit trail in this service, and the check of its hash chain. */
@RestController
@RequestMapping("/api/v1/audit")
@RequiresRole(Role.ADMIN)
class AuditController {

  /** No control characters (PostgreSQL text holds no NUL). */
  private static final String TEXT = "[^\\p{Cntrl}]+";

  private final AuditLog log;

  AuditController(AuditLog log) {
    this.log = log;
  }

  @GetMapping
  AuditLog.Page list(
      @RequestParam(required = false) @Size(min = 1, max = 200) @Pattern(regexp = TEXT)
          String actor,
      @RequestParam(required = false) @Size(min = 1, max = 500) @Pattern(regexp = TEXT)
          String resource,
      @RequestParam(required = false) @Size(min = 1, max = 200) @Pattern(regexp = TEXT)
          String action,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(defaultValue = "0") @Min(0) long after,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      Caller caller) {
    return log.list(
        caller.tenant(), new AuditLog.Query(actor, resource, action, from, to, after, limit));
  }

  @GetMapping("/verify")
  AuditLog.Verification verify(Caller caller) {
    return log.verify(caller.tenant());
  }
}
