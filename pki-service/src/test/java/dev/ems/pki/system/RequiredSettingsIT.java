package dev.ems.pki.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.PkiApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The secrets pki-service needs have no default (issue 13, hole 4): without them, or with the
 * public values that once were defaults, it refuses to start and names the setting.
 */
class RequiredSettingsIT {

  @Test
  void serviceRefusesToStartWithoutInternalKey() {
    assumeTrue(System.getenv("EMS_INTERNAL_API_KEY") == null, "EMS_INTERNAL_API_KEY is set");
    assertThatThrownBy(() -> start("pki.internal-api-key").close())
        .rootCause()
        .hasMessageContaining("EMS_INTERNAL_API_KEY is not set");
  }

  @Test
  void serviceRefusesToStartWithoutKeyEncryptionKey() {
    assumeTrue(
        System.getenv("EMS_PKI_KEY_ENCRYPTION_KEY") == null, "EMS_PKI_KEY_ENCRYPTION_KEY is set");
    assertThatThrownBy(() -> start("pki.key-encryption-key").close())
        .rootCause()
        .hasMessageContaining("EMS_PKI_KEY_ENCRYPTION_KEY is not set");
  }

  @Test
  void serviceRefusesToStartWithThePublicDefaultInternalKey() {
    assertThatThrownBy(
            () ->
                start(
                        "pki.internal-api-key",
                        "--pki.internal-api-key=dev-internal-api-key-change-me")
                    .close())
        .rootCause()
        .hasMessageContaining("EMS_INTERNAL_API_KEY")
        .hasMessageContaining("public");
  }

  /** Starts pki-service on the test infrastructure without the setting {@code left}. */
  private static AutoCloseable start(String left, String... extra) {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, String> e : TestInfrastructure.springProperties().entrySet()) {
      if (!e.getKey().equals(left)) {
        args.add("--" + e.getKey() + "=" + e.getValue());
      }
    }
    args.add("--server.port=0");
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(PkiApplication.class).run(args.toArray(String[]::new));
  }
}
