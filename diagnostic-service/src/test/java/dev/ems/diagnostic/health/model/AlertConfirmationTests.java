package dev.ems.diagnostic.health.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertConfirmationTests {

  static final Finding MGMT_DOWN =
      new Finding("TUNNEL_DOWN:ems-mgmt", Level.CRITICAL, "management tunnel is DOWN");
  static final Finding OFFLINE = new Finding("OFFLINE", Level.CRITICAL, "offline");

  @Test
  void aTunnelDownOpensOnlyOnTheSecondConsecutiveHeartbeat() {
    var first = AlertConfirmation.of(List.of(), Map.of(), List.of(MGMT_DOWN), true, 2);
    assertThat(first.raised()).isEmpty();
    assertThat(first.pending()).containsEntry("TUNNEL_DOWN:ems-mgmt", 1);

    var second = AlertConfirmation.of(List.of(), first.pending(), List.of(MGMT_DOWN), true, 2);
    assertThat(second.conditions()).containsExactly("TUNNEL_DOWN:ems-mgmt");
    assertThat(second.pending()).isEmpty();
  }

  @Test
  void aFlappingTunnelNeverConfirms() {
    Map<String, Integer> pending = Map.of();
    for (int i = 0; i < 6; i++) {
      var c =
          AlertConfirmation.of(
              List.of(), pending, i % 2 == 0 ? List.of(MGMT_DOWN) : List.of(), true, 2);
      assertThat(c.raised()).isEmpty();
      pending = c.pending();
    }
  }

  @Test
  void offlineOpensAtOnceAndAnOpenAlertStaysRaised() {
    assertThat(AlertConfirmation.of(List.of(), Map.of(), List.of(OFFLINE), false, 2).conditions())
        .containsExactly("OFFLINE");
    var kept =
        AlertConfirmation.of(
            List.of("TUNNEL_DOWN:ems-mgmt"), Map.of(), List.of(MGMT_DOWN), true, 2);
    assertThat(kept.conditions()).containsExactly("TUNNEL_DOWN:ems-mgmt");
  }

  @Test
  void anEventThatIsNotAHeartbeatDoesNotConfirm() {
    var c =
        AlertConfirmation.of(
            List.of(), Map.of("TUNNEL_DOWN:ems-mgmt", 1), List.of(MGMT_DOWN), false, 2);
    assertThat(c.raised()).isEmpty();
    assertThat(c.pending()).containsEntry("TUNNEL_DOWN:ems-mgmt", 1);
  }

  @Test
  void oneRequiredHeartbeatOpensAtOnce() {
    assertThat(AlertConfirmation.of(List.of(), Map.of(), List.of(MGMT_DOWN), true, 1).conditions())
        .containsExactly("TUNNEL_DOWN:ems-mgmt");
  }
}
