package dev.ems.sc.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.sc.variables.VariableResolver.Layer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariableResolverTests {

  private final List<Layer> layers =
      List.of(
          new Layer("tenant", Map.of("ntp", "tenant", "dns", "tenant", "a", 1, "b", 1, "c", 1)),
          new Layer("site", Map.of("dns", "site", "a", 2, "b", 2, "c", 2)),
          new Layer("device", Map.of("a", 3, "b", 3, "c", 3)),
          new Layer("request", Map.of("b", 4, "c", 4)));

  @Test
  void eachLayerOverridesTheOnesBelowIt() {
    var context = VariableResolver.resolve(layers, Map.of(), Map.of());

    assertThat(context)
        .containsEntry("ntp", "tenant")
        .containsEntry("dns", "site")
        .containsEntry("a", 3)
        .containsEntry("b", 4)
        .containsEntry("c", 4);
  }

  @Test
  void featureParametersWinOverEverythingAndAreAlsoNamespaced() {
    var context =
        VariableResolver.resolve(layers, Map.of("qos", Map.of("c", 5, "rate", "10M")), Map.of());

    assertThat(context).containsEntry("c", 5).containsEntry("rate", "10M");
    assertThat(context.get("features")).isEqualTo(Map.of("qos", Map.of("c", 5, "rate", "10M")));
  }

  @Test
  void featuresApplyInKeyOrderSoConflictsAreDeterministic() {
    var context =
        VariableResolver.resolve(
            List.of(),
            Map.of("zeta", Map.of("x", "zeta"), "alpha", Map.of("x", "alpha")),
            Map.of());

    assertThat(context).containsEntry("x", "zeta");
  }

  @Test
  void reservedNamesCannotBeOverriddenByAnyLayer() {
    var context =
        VariableResolver.resolve(
            List.of(new Layer("device", Map.of("device", "spoofed", "ems", "x"))),
            Map.of("f", Map.of("features", "y", "site", "z")),
            Map.of(
                "device", Map.of("id", "real"), "ems", Map.of("endpoint", "e"), "site", Map.of()));

    assertThat(context.get("device")).isEqualTo(Map.of("id", "real"));
    assertThat(context.get("ems")).isEqualTo(Map.of("endpoint", "e"));
    assertThat(context.get("site")).isEqualTo(Map.of());
    assertThat(context.get("features"))
        .isEqualTo(Map.of("f", Map.of("features", "y", "site", "z")));
  }

  @Test
  void aLaterLayerReplacesAMapWholeWithoutDeepMerge() {
    var context =
        VariableResolver.resolve(
            List.of(
                new Layer("site", Map.of("wan", Map.of("proto", "dhcp", "mtu", 1500))),
                new Layer("device", Map.of("wan", Map.of("proto", "pppoe")))),
            Map.of(),
            Map.of());

    assertThat(context.get("wan")).isEqualTo(Map.of("proto", "pppoe"));
  }
}
