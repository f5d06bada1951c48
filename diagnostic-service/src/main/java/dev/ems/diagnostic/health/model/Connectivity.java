package dev.ems.diagnostic.health.model;

/** Whether a device heartbeats: UNKNOWN until its first heartbeat. */
public enum Connectivity {
  UNKNOWN,
  ONLINE,
  OFFLINE
}
