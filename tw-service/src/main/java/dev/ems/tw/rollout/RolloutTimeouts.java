package dev.ems.tw.rollout;

import java.time.Clock;
import java.util.UUID;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fails devices that never reported within their wave timeout, and finds waves whose last watch
 * window passed, then lets their rollouts decide. Safe on several instances: the update only
 * matches devices still waiting, and decisions run under the rollout's row lock.
 */
@Component
class RolloutTimeouts {

  private final RolloutStore store;
  private final RolloutEngine engine;
  private final Clock clock;

  RolloutTimeouts(RolloutStore store, RolloutEngine engine, Clock clock) {
    this.store = store;
    this.engine = engine;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${tw.rollout-sweep-interval}")
  void sweep() {
    for (UUID rollout : store.timeOut(clock.instant())) {
      engine.advance(rollout);
    }
    for (UUID rollout : store.watchPassed(clock.instant())) {
      engine.advance(rollout);
    }
  }
}
