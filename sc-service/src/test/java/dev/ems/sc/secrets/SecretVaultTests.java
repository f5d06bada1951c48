package dev.ems.sc.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretVaultTests {

  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  private final SecretVault vault = new SecretVault(KEY);

  @Test
  void aSealedValueOpensForItsTenantOnly() {
    String sealed = vault.seal("acme", "s3cr3t");

    assertThat(sealed).startsWith("v1:").doesNotContain("s3cr3t");
    assertThat(vault.open("acme", sealed)).isEqualTo("s3cr3t");
    assertThatThrownBy(() -> vault.open("other", sealed))
        .hasMessageContaining("does not decrypt")
        .hasMessageNotContaining(sealed);
  }

  @Test
  void everySealingUsesAFreshNonce() {
    assertThat(vault.seal("acme", "same")).isNotEqualTo(vault.seal("acme", "same"));
  }

  @Test
  void anotherKeyCannotOpen() {
    String sealed = vault.seal("acme", "s3cr3t");
    byte[] other = new byte[32];
    other[0] = 1;

    assertThatThrownBy(
            () -> new SecretVault(Base64.getEncoder().encodeToString(other)).open("acme", sealed))
        .hasMessageContaining("sc.secrets-key");
  }

  @Test
  void aKeyThatIsNot32BytesOfBase64IsRefusedNamingTheSetting() {
    for (String bad : new String[] {"", "c2hvcnQ=", "not base64 at all!", null}) {
      assertThatThrownBy(() -> new SecretVault(bad))
          .hasMessageContaining("EMS_SECRETS_KEY (sc.secrets-key)");
    }
  }
}
