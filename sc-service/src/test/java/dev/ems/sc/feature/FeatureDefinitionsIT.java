package dev.ems.sc.feature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.FeatureFragment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class FeatureDefinitionsIT {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Autowired FeatureDefinitions definitions;

  @Test
  void everyVersionIsKeptAndATenantsOwnDefinitionOverridesTheBuiltIn() {
    String key = "k-" + UUID.randomUUID().toString().substring(0, 8);
    definitions.store("*", event(key, 1, "built-in v1", false, T0));
    definitions.store("*", event(key, 2, "built-in v2", false, T0.plusSeconds(1)));
    definitions.store("acme", event(key, 2, "acme v2", false, T0.plusSeconds(2)));

    assertThat(template("acme", key, 2)).isEqualTo("acme v2");
    assertThat(template("acme", key, 1)).isEqualTo("built-in v1");
    assertThat(template("other", key, 2)).isEqualTo("built-in v2");
    assertThat(definitions.find("other", key, 3)).isEmpty();
  }

  @Test
  void anOlderEventDoesNotReplaceANewerOneAndARemovalHidesTheTenantsVersions() {
    String key = "k-" + UUID.randomUUID().toString().substring(0, 8);
    definitions.store("acme", event(key, 1, "newer", false, T0.plusSeconds(10)));
    definitions.store("acme", event(key, 1, "older", false, T0));
    assertThat(template("acme", key, 1)).isEqualTo("newer");

    definitions.store("acme", event(key, 1, "", true, T0.plusSeconds(20)));
    definitions.store("acme", event(key, 1, "replayed", false, T0.plusSeconds(10)));

    assertThat(definitions.find("acme", key, 1)).isEmpty();
  }

  @Test
  void aReplayDeliveringTheRemovalBeforeOlderVersionsKeepsThemRemoved() {
    String key = "k-" + UUID.randomUUID().toString().substring(0, 8);
    definitions.store("acme", event(key, 3, "", true, T0.plusSeconds(30)));
    definitions.store("acme", event(key, 2, "v2", false, T0.plusSeconds(10)));
    definitions.store("acme", event(key, 3, "v3", false, T0.plusSeconds(20)));
    // the key made again after its removal
    definitions.store("acme", event(key, 1, "new v1", false, T0.plusSeconds(40)));

    assertThat(definitions.find("acme", key, 2)).isEmpty();
    assertThat(definitions.find("acme", key, 3)).isEmpty();
    assertThat(template("acme", key, 1)).isEqualTo("new v1");
  }

  private String template(String tenant, String key, int version) {
    return definitions
        .find(tenant, key, version)
        .orElseThrow()
        .fragmentsFor("openwrt-default")
        .getFirst()
        .template();
  }

  private static FeatureDefinitionChanged event(
      String key, int version, String template, boolean deleted, Instant at) {
    return new FeatureDefinitionChanged(
        key,
        version,
        "",
        Map.of("type", "object"),
        Map.of(),
        List.of(),
        List.of(),
        deleted,
        at,
        Map.of(
            "openwrt-default",
            List.of(new FeatureFragment("f", "/etc/f", FeatureFragment.Mode.FILE, template))));
  }
}
