package dev.ems.tw.rollout.model;

/**
 * What a running rollout does next. Failures are checked first: a rollout whose failures (beyond
 * those accepted at the last resume) pass the threshold pauses even while its wave is still
 * waiting, so no further device is touched. A wave is done only when all its devices finished and
 * the health watch of every device it changed has passed (see {@link HealthWatch}); a health drop
 * inside a window pauses the rollout where the drop is handled, not here.
 */
public enum RolloutDecision {
  WAIT,
  PAUSE,
  NEXT_WAVE,
  COMPLETE;

  /**
   * @param failed devices of the rollout that failed so far
   * @param acknowledged failures accepted by the operator when resuming
   * @param threshold failures tolerated; one more pauses the rollout
   * @param unfinishedInWave devices of the current wave still pending or waiting
   * @param watchedInWave devices of the current wave whose health watch window is still open
   * @param lastWave whether the current wave is the last one
   */
  public static RolloutDecision decide(
      int failed,
      int acknowledged,
      int threshold,
      int unfinishedInWave,
      int watchedInWave,
      boolean lastWave) {
    if (failed - acknowledged > threshold) {
      return PAUSE;
    }
    if (unfinishedInWave > 0 || watchedInWave > 0) {
      return WAIT;
    }
    return lastWave ? COMPLETE : NEXT_WAVE;
  }
}
