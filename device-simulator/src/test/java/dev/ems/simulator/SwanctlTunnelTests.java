package dev.ems.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwanctlTunnelTests {

  private static final String IKE_ONLY =
      "list-sa event {ems-mgmt {uniqueid=1 version=2 state=ESTABLISHED local-host=10.19.0.2"
          + " remote-id=CN=ems-mgmt local-vips=[10.255.64.1] child-sas {}}}\n"
          + "list-sas reply {}\n";
  private static final String UP =
      "list-sa event {ems-mgmt {uniqueid=1 version=2 state=ESTABLISHED local-host=10.19.0.2"
          + " local-vips=[10.255.64.1] child-sas {ems-mgmt-1 {name=ems-mgmt uniqueid=1 reqid=1"
          + " state=INSTALLED mode=TUNNEL protocol=ESP encap=yes local-ts=[10.255.64.1/32]"
          + " remote-ts=[10.255.0.1/32]}}}}\n"
          + "list-sas reply {}\n";

  @Test
  void establishedOnlyWithAnInstalledChildSa() {
    assertThat(SwanctlTunnel.parse(UP, "ems-mgmt")).isEqualTo("ESTABLISHED");
    assertThat(SwanctlTunnel.parse(IKE_ONLY, "ems-mgmt")).isEqualTo("DOWN");
  }

  @Test
  void downWithoutAnSaOfThatConnection() {
    assertThat(SwanctlTunnel.parse("list-sas reply {}\n", "ems-mgmt")).isEqualTo("DOWN");
    assertThat(SwanctlTunnel.parse(UP.replace("{ems-mgmt {", "{other {"), "ems-mgmt"))
        .isEqualTo("DOWN");
    assertThat(SwanctlTunnel.parse(UP.replace("state=ESTABLISHED", "state=CONNECTING"), "ems-mgmt"))
        .isEqualTo("DOWN");
  }

  @Test
  void aCommandThatCannotRunIsDown() {
    assertThat(new SwanctlTunnel(java.util.List.of("/nonexistent/swanctl")).state())
        .isEqualTo("DOWN");
  }
}
