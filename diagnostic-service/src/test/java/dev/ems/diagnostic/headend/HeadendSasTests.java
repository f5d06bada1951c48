package dev.ems.diagnostic.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class HeadendSasTests {

  private static final UUID UP = UUID.fromString("0b6c1f5e-9a43-4a57-9d11-8f0e2b8f6a01");
  private static final UUID HALF = UUID.fromString("0b6c1f5e-9a43-4a57-9d11-8f0e2b8f6a02");

  @Test
  void onlyDevicesWithAnEstablishedIkeSaAndAnInstalledChildSaAreUp() {
    String raw =
        "list-sa event {ems-mgmt-acme {uniqueid=1 version=2 state=ESTABLISHED local-host=10.19.0.1"
            + " local-id=CN=ems-mgmt remote-host=10.19.0.2 remote-id=CN="
            + UP
            + " remote-vips=[10.255.64.1] child-sas {ems-mgmt-1 {name=ems-mgmt uniqueid=1"
            + " state=INSTALLED mode=TUNNEL}}}}\n"
            + "list-sa event {ems-mgmt-acme {uniqueid=2 version=2 state=ESTABLISHED"
            + " remote-id=CN="
            + HALF
            + " child-sas {}}}\n"
            + "list-sa event {other {uniqueid=3 state=ESTABLISHED remote-id=CN=not-a-device"
            + " child-sas {x {state=INSTALLED }}}}\n"
            + "list-sas reply {}\n";
    assertThat(HeadendSas.established(raw)).containsExactly(UP);
  }

  @Test
  void devicesAreKnownByTheSubjectOfTheirCertificateWithTheirTenant() {
    String raw =
        "list-sa event {ems-mgmt-acme {uniqueid=7 version=2 state=ESTABLISHED local-host=10.19.0.1"
            + " local-id=CN=ems-mgmt remote-host=10.19.0.2 remote-id=O=acme, CN="
            + UP
            + " remote-vips=[10.255.64.1] child-sas {ems-mgmt-1 {name=ems-mgmt uniqueid=9"
            + " state=INSTALLED mode=TUNNEL}}}}\n"
            + "list-sa event {ems-mgmt-acme {uniqueid=8 version=2 state=CONNECTING"
            + " remote-id=O=acme, CN="
            + HALF
            + "}}\n";
    assertThat(HeadendSas.established(raw)).containsExactly(UP);
    assertThat(HeadendSas.sas(raw))
        .containsExactly(new HeadendSas.Sa(7, UP, true), new HeadendSas.Sa(8, HALF, false));
  }

  @Test
  void nothingIsUpInAnEmptyList() {
    assertThat(HeadendSas.established("list-sas reply {}\n")).isEmpty();
    assertThat(HeadendSas.established("")).isEmpty();
  }
}
