package dev.ems.diagnostic.health.model;

import java.time.Instant;

/** A tunnel moved from one state to another; ABSENT when it was or is no longer reported. */
public record TunnelChange(String tunnel, String previousState, String state, Instant at) {}
