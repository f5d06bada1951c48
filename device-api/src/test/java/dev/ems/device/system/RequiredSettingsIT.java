package dev.ems.device.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ems.device.DeviceApiApplication;
import dev.ems.embedded.TestInfrastructure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** device-api has no default for the key it presents to pki-service (issue 13, hole 4). */
class RequiredSettingsIT {

  @Test
  void serviceRefusesToStartWithoutInternalKey() {
    assumeTrue(System.getenv("EMS_INTERNAL_API_KEY") == null, "EMS_INTERNAL_API_KEY is set");
    List<String> args = new ArrayList<>();
    TestInfrastructure.springProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals("device-api.pki.internal-api-key")) {
                args.add("--" + k + "=" + v);
              }
            });
    args.add("--server.port=0");

    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(DeviceApiApplication.class)
                    .run(args.toArray(String[]::new))
                    .close())
        .rootCause()
        .hasMessageContaining("EMS_INTERNAL_API_KEY is not set");
  }
}
