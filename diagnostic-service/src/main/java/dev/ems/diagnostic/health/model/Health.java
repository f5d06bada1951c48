package dev.ems.diagnostic.health.model;

import java.util.List;

/** The derived health of a device with the findings behind it. */
public record Health(Level level, List<Finding> findings) {

  public Health {
    findings = List.copyOf(findings);
  }

  public List<String> reasons() {
    return findings.stream().map(Finding::message).toList();
  }

  public List<String> conditions() {
    return findings.stream().map(Finding::condition).toList();
  }
}
