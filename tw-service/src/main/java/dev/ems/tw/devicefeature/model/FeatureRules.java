package dev.ems.tw.devicefeature.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dependency and conflict rules of a device's feature set, free of Spring and storage. A feature
 * can be enabled only when everything it depends on is enabled and nothing enabled conflicts with
 * it (in either direction); it can be removed only when no other enabled feature depends on it.
 */
public final class FeatureRules {

  private FeatureRules() {}

  /** What a rule needs to know about a feature. */
  public record Rule(String key, List<String> dependsOn, List<String> conflictsWith) {}

  public enum Kind {
    DEPENDENCY_MISSING,
    CONFLICT,
    REQUIRED
  }

  /** Why a change is refused; {@code other} is the feature that blocks it. */
  public record Violation(Kind kind, String other, String message) {}

  /**
   * Checks enabling (or updating) {@code feature} on a device with {@code enabled} features (the
   * feature itself may be among them).
   */
  public static Optional<Violation> checkEnable(Rule feature, Map<String, Rule> enabled) {
    Map<String, Rule> others = new TreeMap<>(enabled);
    others.remove(feature.key());
    for (String required : feature.dependsOn()) {
      if (!others.containsKey(required)) {
        return Optional.of(
            new Violation(
                Kind.DEPENDENCY_MISSING,
                required,
                feature.key() + " depends on " + required + ", which is not enabled"));
      }
    }
    for (Rule other : others.values()) {
      if (feature.conflictsWith().contains(other.key())
          || other.conflictsWith().contains(feature.key())) {
        return Optional.of(
            new Violation(
                Kind.CONFLICT,
                other.key(),
                feature.key() + " conflicts with " + other.key() + ", which is enabled"));
      }
    }
    return Optional.empty();
  }

  /** Checks removing {@code key} from a device with {@code enabled} features. */
  public static Optional<Violation> checkRemove(String key, Map<String, Rule> enabled) {
    for (Rule other : new TreeMap<>(enabled).values()) {
      if (!other.key().equals(key) && other.dependsOn().contains(key)) {
        return Optional.of(
            new Violation(
                Kind.REQUIRED,
                other.key(),
                other.key() + " depends on " + key + ", remove it first"));
      }
    }
    return Optional.empty();
  }
}
