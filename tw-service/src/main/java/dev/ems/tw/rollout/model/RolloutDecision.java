package dev.ems.tw.rollout.model;

/**
 * What a running rollout does next. Failures are checked first: a rollout whose failures (beyond
 * those accepted at the last resume) pass the threshold pauses even while its wave is still
 * waiting, so no further device is touched.
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
   * @param lastWave whether the current wave is the last one
   */
  public static RolloutDecision decide(
      int failed, int acknowledged, int threshold, int unfinishedInWave, boolean lastWave) {
    if (failed - acknowledged > threshold) {
      return PAUSE;
    }
    if (unfinishedInWave > 0) {
      return WAIT;
    }
    return lastWave ? COMPLETE : NEXT_WAVE;
  }
}
