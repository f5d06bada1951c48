package dev.ems.diagnostic.health.model;

/**
 * One reason a device is not OK. {@code condition} is the stable key alerts are opened on, e.g.
 * {@code OFFLINE} or {@code TUNNEL_DOWN:ems-mgmt}; {@code message} is for people.
 */
public record Finding(String condition, Level severity, String message) {

  /** Whether an alert is opened for this finding (not knowing yet is not an incident). */
  public boolean alertable() {
    return severity == Level.WARNING || severity == Level.CRITICAL;
  }
}
