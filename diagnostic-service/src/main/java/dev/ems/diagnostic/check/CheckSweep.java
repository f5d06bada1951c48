package dev.ems.diagnostic.check;

import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Times out checks past their deadline; one conditional update, safe on several instances. */
@Component
class CheckSweep {

  private final Checks checks;
  private final Clock clock;

  CheckSweep(Checks checks, Clock clock) {
    this.checks = checks;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${diag.sweep-interval}")
  void sweep() {
    checks.timeOut(clock.instant());
  }
}
