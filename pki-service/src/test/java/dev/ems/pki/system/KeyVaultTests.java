package dev.ems.pki.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.pki.TestCsrs;
import java.time.Duration;
import java.time.Period;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyVaultTests {

  static PkiProperties properties(String key) {
    return new PkiProperties(
        PkiProperties.Backend.EMBEDDED,
        key,
        "internal-key-0123456789",
        "http://localhost",
        new PkiProperties.Ca(
            KeyAlgorithm.EC_P256, "CN=r", "CN=i", Period.ofDays(10), Period.ofDays(5)),
        Map.of("device", new PkiProperties.Profile(java.time.Duration.ofDays(1))),
        Duration.ofHours(1),
        0.1,
        Duration.ofMinutes(10),
        null);
  }

  @Test
  void sealedKeyOpensOnlyWithTheSameKeyAndOwner() {
    var keys = TestCsrs.ec("secp256r1");
    var vault = new KeyVault(properties(KeyVault.DEV_KEY));
    byte[] sealed = vault.seal(keys.getPrivate(), "issuing");

    assertThat(vault.open(sealed, "issuing", "EC")).isEqualTo(keys.getPrivate());
    assertThatThrownBy(() -> vault.open(sealed, "root", "EC"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(
            Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
    var other = new KeyVault(properties(Base64.getEncoder().encodeToString(new byte[32])));
    assertThatThrownBy(() -> other.open(sealed, "issuing", "EC"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyOfTheWrongLengthIsRejectedAtStart() {
    assertThatThrownBy(
            () -> new KeyVault(properties(Base64.getEncoder().encodeToString(new byte[16]))))
        .hasMessageContaining("32 bytes");
  }
}
