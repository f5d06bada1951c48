package dev.ems.sc.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF guard: internal addresses refused unless the allow-list names them. */
class TargetGuardTests {

  private static TargetGuard guard(String... allowed) {
    Duration d = Duration.ofSeconds(1);
    return new TargetGuard(new WebhookProperties(List.of(allowed), d, d, d, d, d, d, 10, d));
  }

  @Test
  void internalAddressesAreRefusedByDefault() {
    TargetGuard guard = guard();
    for (String url :
        List.of(
            "http://127.0.0.1/",
            "http://10.0.0.1/",
            "http://172.16.5.5/",
            "http://192.168.1.1/",
            "http://169.254.169.254/",
            "http://100.100.100.100/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
            "http://0.0.0.0/",
            "http://224.0.0.1/")) {
      assertThatThrownBy(() -> guard.check(URI.create(url), true))
          .as(url)
          .isInstanceOf(TargetGuard.Refused.class);
    }
  }

  @Test
  void theAllowListNamesAddressesRangesAndHosts() throws Exception {
    TargetGuard guard = guard("127.0.0.1", " 10.20.0.0/16 ", "fd00::/8");
    assertThatCode(() -> guard.check(URI.create("http://127.0.0.1:8080/x"), true))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.check(URI.create("http://10.20.3.4/x"), true))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.check(URI.create("http://[fd00::5]/x"), true))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> guard.check(URI.create("http://10.21.0.1/x"), true))
        .isInstanceOf(TargetGuard.Refused.class);
    assertThatThrownBy(() -> guard.check(URI.create("http://127.0.0.2/x"), true))
        .isInstanceOf(TargetGuard.Refused.class);
  }

  @Test
  void publicAddressesPassAndOddUrlsAreRefused() {
    TargetGuard guard = guard();
    assertThatCode(() -> guard.check(URI.create("https://203.0.113.10/hook"), true))
        .doesNotThrowAnyException();
    for (String url :
        List.of(
            "ftp://203.0.113.10/", "https://user:pw@203.0.113.10/", "/relative", "https:///x")) {
      assertThatThrownBy(() -> TargetGuard.parse(url))
          .as(url)
          .isInstanceOf(TargetGuard.Refused.class);
    }
  }
}
