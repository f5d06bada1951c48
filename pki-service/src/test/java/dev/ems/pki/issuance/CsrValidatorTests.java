package dev.ems.pki.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.pki.TestCsrs;
import dev.ems.platform.web.EmsException;
import org.junit.jupiter.api.Test;

class CsrValidatorTests {

  @Test
  void acceptsP256P384AndRsa2048() {
    assertThat(CsrValidator.parse(TestCsrs.p256("CN=a")).publicKey().getAlgorithm())
        .isEqualTo("EC");
    CsrValidator.parse(TestCsrs.pem(TestCsrs.request(TestCsrs.ec("secp384r1"), "CN=a")));
    CsrValidator.parse(TestCsrs.pem(TestCsrs.request(TestCsrs.rsa(2048), "CN=a")));
  }

  @Test
  void rejectsTamperedWeakAndUnsupportedRequestsWithStableCodes() {
    assertCode(TestCsrs.tampered(), "invalid-csr");
    assertCode("garbage", "invalid-csr");
    assertCode(TestCsrs.pem(TestCsrs.request(TestCsrs.rsa(1024), "CN=a")), "weak-key");
    assertCode(TestCsrs.pem(TestCsrs.request(TestCsrs.ec("secp521r1"), "CN=a")), "weak-key");
  }

  private static void assertCode(String csr, String code) {
    assertThatThrownBy(() -> CsrValidator.parse(csr))
        .isInstanceOfSatisfying(
            EmsException.class,
            e -> {
              assertThat(e.code().code()).isEqualTo(code);
              assertThat(e.field()).isEqualTo("csr");
            });
  }
}
