package dev.ems.diagnostic.health.model;

/** Health of a device, in order of severity (a device is as healthy as its worst finding). */
public enum Level {
  OK,
  UNKNOWN,
  WARNING,
  CRITICAL;

  public Level worst(Level other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
