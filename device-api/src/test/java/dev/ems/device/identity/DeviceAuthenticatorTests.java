package dev.ems.device.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceAuthenticatorTests {

  @Test
  void trustedProxiesAreComparedAsAddressesNotAsText() {
    var trusted = DeviceAuthenticator.trustedAddresses(List.of("127.0.0.1", " ::1 "));

    assertThat(trusted)
        .contains(InetAddress.ofLiteral("0:0:0:0:0:0:0:1"))
        .contains(InetAddress.ofLiteral("127.0.0.1"))
        .doesNotContain(InetAddress.ofLiteral("127.0.0.2"));
  }

  @Test
  void blankEntriesTrustNoProxy() {
    assertThat(DeviceAuthenticator.trustedAddresses(List.of("", "  "))).isEmpty();
  }

  @Test
  void aHostNameIsRefusedAtStartWithTheSettingNamed() {
    assertThatThrownBy(() -> DeviceAuthenticator.trustedAddresses(List.of("proxy.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("device-api.trusted-proxies")
        .hasMessageContaining("proxy.example");
  }
}
