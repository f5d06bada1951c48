package dev.ems.platform.kafka;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead letters of this service, for the system's administrators only: a dead-letter topic mixes
 * tenants, and its payloads are whatever the failed record carried.
 */
@RestController
@RequestMapping("/api/v1/dead-letters")
@RequiresRole(value = Role.ADMIN, systemTenant = true)
class DeadLetterController {

  private static final String TOPIC = "[a-z0-9][a-z0-9._-]{0,200}\\.dlt";

  private final DeadLetters deadLetters;

  DeadLetterController(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  @GetMapping
  DeadLetters.Page list(
      @RequestParam(required = false) @Pattern(regexp = TOPIC) String topic,
      @RequestParam(defaultValue = "OPEN") @Pattern(regexp = "OPEN|HANDLED|ALL") String state,
      @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    return deadLetters.list(topic, DeadLetters.State.valueOf(state), page, size);
  }

  @PostMapping("/{topic}/{partition}/{offset}/redrive")
  DeadLetters.DeadLetter redrive(
      @PathVariable @Pattern(regexp = TOPIC) String topic,
      @PathVariable @Min(0) int partition,
      @PathVariable @Min(0) long offset,
      Caller caller) {
    return deadLetters.redrive(topic, partition, offset, caller.keyName());
  }

  @PostMapping("/{topic}/{partition}/{offset}/discard")
  DeadLetters.DeadLetter discard(
      @PathVariable @Pattern(regexp = TOPIC) String topic,
      @PathVariable @Min(0) int partition,
      @PathVariable @Min(0) long offset,
      Caller caller) {
    return deadLetters.discard(topic, partition, offset, caller.keyName());
  }
}
