package dev.ems.pki.scep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.system.Pem;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The SCEP RA for device-api (issue 18): {@code GET /internal/v1/scep-ra}. */
@SpringBootTest
@AutoConfigureMockMvc
class ScepRaIT {

  static final String SERVICE = "Bearer " + TestInfrastructure.INTERNAL_API_KEY;

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void theRaIsAnRsaKeyCertifiedByTheIssuingCaForSigningAndEnciphermentAndStoredSealed()
      throws Exception {
    JsonNode ra = fetch();
    JsonNode again = fetch();

    var certificate = Pem.parseAll(ra.get("certificatePem").asString()).getFirst();
    var chain = Pem.parseAll(ra.get("chainPem").asString());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=EMS SCEP RA");
    certificate.verify(chain.getFirst().getPublicKey());
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    // digitalSignature (0) and keyEncipherment (2), nothing else
    assertThat(certificate.getKeyUsage()).startsWith(true, false, true, false, false, false, false);
    assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    // the key is the certificate's: it signs what the certificate verifies
    byte[] pkcs8 =
        Base64.getMimeDecoder()
            .decode(
                ra.get("privateKeyPem")
                    .asString()
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
    var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(certificate);
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).isTrue();
    // every replica of device-api gets the same RA
    assertThat(again.get("certificatePem").asString())
        .isEqualTo(ra.get("certificatePem").asString());
    // stored sealed: the row never holds the PKCS#8 key
    byte[] stored =
        jdbc.sql("select sealed_key from scep_ra where serial = ?")
            .param(certificate.getSerialNumber().toString(16))
            .query(byte[].class)
            .single();
    assertThat(Arrays.equals(stored, pkcs8)).isFalse();
    assertThat(indexOf(stored, Arrays.copyOfRange(pkcs8, 40, 72))).isEqualTo(-1);
  }

  @Test
  void withoutTheServiceKeyNothingIsHandedOut() throws Exception {
    mvc.perform(get("/internal/v1/scep-ra"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("unauthenticated"))
        .andExpect(jsonPath("$.privateKeyPem").doesNotExist());
    mvc.perform(get("/internal/v1/scep-ra").header("Authorization", "Bearer wrong"))
        .andExpect(status().isUnauthorized());
  }

  private JsonNode fetch() throws Exception {
    String body =
        mvc.perform(get("/internal/v1/scep-ra").header("Authorization", SERVICE))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
