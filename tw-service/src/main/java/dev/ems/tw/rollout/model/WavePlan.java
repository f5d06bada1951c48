package dev.ems.tw.rollout.model;

import java.util.ArrayList;
import java.util.List;

/** Splits the selected devices, in the given order, into waves of at most {@code waveSize}. */
public final class WavePlan {

  private WavePlan() {}

  public static <T> List<List<T>> of(List<T> devices, int waveSize) {
    if (waveSize < 1) {
      throw new IllegalArgumentException("waveSize must be at least 1");
    }
    List<List<T>> waves = new ArrayList<>();
    for (int from = 0; from < devices.size(); from += waveSize) {
      waves.add(List.copyOf(devices.subList(from, Math.min(devices.size(), from + waveSize))));
    }
    return waves;
  }
}
