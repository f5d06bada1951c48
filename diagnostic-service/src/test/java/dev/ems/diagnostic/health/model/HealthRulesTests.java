package dev.ems.diagnostic.health.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthRulesTests {

  static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

  static DeviceState online(Map<String, String> tunnels) {
    return new DeviceState(Connectivity.ONLINE, T, tunnels, null, ConfigState.NONE, CertState.NONE);
  }

  @Test
  void aDeviceThatNeverReportedIsUnknown() {
    Health h = HealthRules.derive(DeviceState.unknown());
    assertThat(h.level()).isEqualTo(Level.UNKNOWN);
    assertThat(h.reasons()).containsExactly("no heartbeat received yet");
    assertThat(h.findings()).noneMatch(Finding::alertable);
  }

  @Test
  void onlineWithEstablishedManagementTunnelIsOk() {
    Health h = HealthRules.derive(online(Map.of("ems-mgmt", "ESTABLISHED")));
    assertThat(h.level()).isEqualTo(Level.OK);
    assertThat(h.reasons()).isEmpty();
  }

  @Test
  void managementTunnelDownOrMissingIsCriticalOtherTunnelsWarn() {
    assertThat(HealthRules.derive(online(Map.of("ems-mgmt", "DOWN"))).level())
        .isEqualTo(Level.CRITICAL);
    Health missing = HealthRules.derive(online(Map.of("wan1", "ESTABLISHED")));
    assertThat(missing.level()).isEqualTo(Level.CRITICAL);
    assertThat(missing.reasons()).containsExactly("management tunnel ems-mgmt not reported");
    Health branch =
        HealthRules.derive(online(Map.of("ems-mgmt", "ESTABLISHED", "wan1", "CONNECTING")));
    assertThat(branch.level()).isEqualTo(Level.WARNING);
    assertThat(branch.conditions()).containsExactly("TUNNEL_DOWN:wan1");
  }

  @Test
  void offlineIsCriticalAndHidesStaleTunnelStates() {
    Health h = HealthRules.derive(online(Map.of("ems-mgmt", "DOWN")).offline());
    assertThat(h.level()).isEqualTo(Level.CRITICAL);
    assertThat(h.conditions()).containsExactly("OFFLINE");
  }

  @Test
  void configFailedWarnsWithTheDevicesErrorAndAppliedCurrentIsOk() {
    DeviceState s = online(Map.of("ems-mgmt", "ESTABLISHED"));
    ConfigState published = ConfigState.NONE.published(3, "sha3");
    Health failed =
        HealthRules.derive(s.withConfig(published.reported(3, "sha3", "FAILED", "uci: bad", T)));
    assertThat(failed.level()).isEqualTo(Level.WARNING);
    assertThat(failed.reasons()).containsExactly("config v3 failed: uci: bad");

    Health applied =
        HealthRules.derive(s.withConfig(published.reported(3, "sha3", "APPLIED", null, T)));
    assertThat(applied.level()).isEqualTo(Level.OK);

    Health behind =
        HealthRules.derive(s.withConfig(published.reported(2, "sha2", "APPLIED", null, T)));
    assertThat(behind.conditions()).containsExactly("CONFIG_OUT_OF_SYNC");
  }

  @Test
  void olderPublicationsAndReportsChangeNothing() {
    ConfigState c = ConfigState.NONE.published(3, "sha3").reported(3, "sha3", "APPLIED", null, T);
    assertThat(c.published(2, "sha2")).isEqualTo(c);
    assertThat(c.reported(2, "sha2", "FAILED", "x", T.minusSeconds(5))).isEqualTo(c);
    assertThat(c.reported(3, "sha3", "APPLIED", null, T)).isEqualTo(c);
  }

  @Test
  void revokedCertificateIsCriticalExpiringWarnsAndANewCertificateClearsBoth() {
    DeviceState s = online(Map.of("ems-mgmt", "ESTABLISHED"));
    CertState issued = CertState.NONE.issued("AA");
    assertThat(HealthRules.derive(s.withCert(issued.expiring("AA", "2026-02-01"))).level())
        .isEqualTo(Level.WARNING);
    CertState revoked = issued.revoked("AA", "keyCompromise");
    assertThat(HealthRules.derive(s.withCert(revoked)).level()).isEqualTo(Level.CRITICAL);
    assertThat(revoked.expiring("AA", "2026-02-01")).isEqualTo(revoked);
    assertThat(issued.revoked("BB", "keyCompromise")).isEqualTo(issued);
    assertThat(HealthRules.derive(s.withCert(revoked.issued("CC"))).level()).isEqualTo(Level.OK);
  }
}
