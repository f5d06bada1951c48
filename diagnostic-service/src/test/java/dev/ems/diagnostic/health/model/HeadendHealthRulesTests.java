package dev.ems.diagnostic.health.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadendHealthRulesTests {

  private static DeviceState state(Connectivity c, String deviceSays, String headendSays) {
    return new DeviceState(
        c,
        Instant.parse("2026-12-02T06:00:00Z"),
        deviceSays == null ? Map.of() : Map.of("ems-mgmt", deviceSays),
        null,
        ConfigState.NONE,
        CertState.NONE,
        headendSays);
  }

  private static java.util.List<String> codes(DeviceState s) {
    return HealthRules.derive(s).findings().stream().map(Finding::condition).toList();
  }

  @Test
  void theHeadendIsTrustedOverTheDeviceAndADisagreementIsAFinding() {
    DeviceState s = state(Connectivity.ONLINE, "ESTABLISHED", "DOWN");
    assertThat(HealthRules.derive(s).level()).isEqualTo(Level.CRITICAL);
    assertThat(codes(s))
        .containsExactly("TUNNEL_DOWN_AT_HEADEND:ems-mgmt", "TUNNEL_DISAGREES:ems-mgmt");
  }

  @Test
  void aTunnelTheHeadendHoldsIsUpEvenWhenTheDeviceSaysOtherwise() {
    DeviceState s = state(Connectivity.ONLINE, "DOWN", "ESTABLISHED");
    assertThat(HealthRules.derive(s).level()).isEqualTo(Level.WARNING);
    assertThat(codes(s)).containsExactly("TUNNEL_DISAGREES:ems-mgmt");
  }

  @Test
  void aDeviceThatCannotReportStillShowsTheTunnelDownAtTheHeadend() {
    assertThat(codes(state(Connectivity.OFFLINE, "ESTABLISHED", "DOWN")))
        .containsExactly("TUNNEL_DOWN_AT_HEADEND:ems-mgmt", "OFFLINE");
  }

  @Test
  void withoutAHeadendViewTheDeviceDecidesAsBefore() {
    assertThat(codes(state(Connectivity.ONLINE, "DOWN", null)))
        .containsExactly("TUNNEL_DOWN:ems-mgmt");
    assertThat(codes(state(Connectivity.ONLINE, "ESTABLISHED", "ESTABLISHED"))).isEmpty();
  }
}
