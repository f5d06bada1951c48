package dev.ems.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.platform.PlatformTestApplication;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(classes = PlatformTestApplication.class)
class BootstrapKeyIT {

  @Autowired ApiKeys keys;

  @Test
  void theBootstrapKeyHasOneWellKnownIdAndChangingItRevokesThePreviousOne() {
    String first = "first-bootstrap-key-0123456789";
    String second = "second-bootstrap-key-0123456789";
    try {
      keys.registerBootstrapKey("default", "bootstrap-admin", ApiKeys.hash(first));
      assertThat(keys.authenticate(first))
          .hasValueSatisfying(c -> assertThat(c.keyId()).isEqualTo(ApiKeys.BOOTSTRAP_KEY_ID));

      keys.registerBootstrapKey("default", "bootstrap-admin", ApiKeys.hash(second));
      assertThat(keys.authenticate(first)).isEmpty();
      assertThat(keys.authenticate(second)).isPresent();
    } finally {
      keys.registerBootstrapKey(
          "default", "bootstrap-admin", ApiKeys.hash(OperatorAccessIT.BOOTSTRAP));
    }
  }

  @Test
  void aRevokedBootstrapKeyStaysRevokedAcrossRestarts() {
    String key = "revoked-bootstrap-key-0123456789";
    try {
      keys.registerBootstrapKey("default", "bootstrap-admin", ApiKeys.hash(key));
      // revocation replicated from sc-service under the well-known id
      keys.upsert(
          ApiKeys.BOOTSTRAP_KEY_ID,
          "default",
          "bootstrap-admin",
          ApiKeys.hash(key),
          Role.ADMIN,
          Instant.now(),
          Instant.now());
      keys.registerBootstrapKey("default", "bootstrap-admin", ApiKeys.hash(key)); // a restart
      assertThat(keys.authenticate(key)).isEmpty();
    } finally {
      keys.registerBootstrapKey(
          "default", "bootstrap-admin", ApiKeys.hash(OperatorAccessIT.BOOTSTRAP));
    }
  }
}
