package dev.ems.tw.devicefeature.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.tw.devicefeature.model.FeatureRules.Kind;
import dev.ems.tw.devicefeature.model.FeatureRules.Rule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureRulesTests {

  static final Rule WAN = new Rule("wan", List.of(), List.of());
  static final Rule LAN = new Rule("lan-dhcp", List.of(), List.of());
  static final Rule VLANS = new Rule("vlans", List.of("lan-dhcp"), List.of());
  static final Rule PPPOE = new Rule("pppoe", List.of(), List.of("wan"));

  @Test
  void enablingNeedsEveryDependencyEnabled() {
    assertThat(FeatureRules.checkEnable(VLANS, Map.of("wan", WAN)))
        .get()
        .satisfies(
            v -> {
              assertThat(v.kind()).isEqualTo(Kind.DEPENDENCY_MISSING);
              assertThat(v.other()).isEqualTo("lan-dhcp");
            });
    assertThat(FeatureRules.checkEnable(VLANS, Map.of("lan-dhcp", LAN))).isEmpty();
  }

  @Test
  void conflictsCountInBothDirections() {
    assertThat(FeatureRules.checkEnable(PPPOE, Map.of("wan", WAN)).map(v -> v.kind()))
        .contains(Kind.CONFLICT);
    assertThat(FeatureRules.checkEnable(WAN, Map.of("pppoe", PPPOE)).map(v -> v.other()))
        .contains("pppoe");
  }

  @Test
  void updatingAnEnabledFeatureDoesNotConflictWithItself() {
    Rule selfish = new Rule("x", List.of(), List.of("x"));
    assertThat(FeatureRules.checkEnable(selfish, Map.of("x", selfish))).isEmpty();
  }

  @Test
  void removingAFeatureAnotherDependsOnIsRefused() {
    Map<String, Rule> enabled = Map.of("lan-dhcp", LAN, "vlans", VLANS);
    assertThat(FeatureRules.checkRemove("lan-dhcp", enabled).map(v -> v.kind()))
        .contains(Kind.REQUIRED);
    assertThat(FeatureRules.checkRemove("vlans", enabled)).isEmpty();
  }
}
