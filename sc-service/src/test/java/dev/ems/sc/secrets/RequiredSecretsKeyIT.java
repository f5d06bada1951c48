package dev.ems.sc.secrets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.sc.ScApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The key of secret variables has no default: without a valid one sc-service does not start. */
class RequiredSecretsKeyIT {

  @Test
  void serviceRefusesToStartWithoutSecretsKey() {
    assertThatThrownBy(() -> start("--sc.secrets-key=").close())
        .rootCause()
        .hasMessageContaining("EMS_SECRETS_KEY is not set (sc.secrets-key)");
  }

  @Test
  void serviceRefusesToStartWithAKeyThatIsNot32Bytes() {
    assertThatThrownBy(() -> start("--sc.secrets-key=c2hvcnQta2V5").close())
        .rootCause()
        .hasMessageContaining("EMS_SECRETS_KEY (sc.secrets-key) must be 32 random bytes")
        .hasMessageNotContaining("c2hvcnQta2V5");
  }

  /** Starts sc-service on the test infrastructure with the given secrets-key argument. */
  private static AutoCloseable start(String keyArgument) {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, String> e : TestInfrastructure.springProperties().entrySet()) {
      if (!e.getKey().equals("sc.secrets-key")) {
        args.add("--" + e.getKey() + "=" + e.getValue());
      }
    }
    args.add("--server.port=0");
    args.add(keyArgument);
    return new SpringApplicationBuilder(ScApplication.class).run(args.toArray(String[]::new));
  }
}
