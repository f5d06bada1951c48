package dev.ems.pki.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.PkiApplication;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
class CaRestartIT {

  @Autowired CaHierarchy cas;
  @Autowired JdbcClient jdbc;

  @Test
  void aSecondInstanceOnTheSameDatabaseLoadsTheSameCaAndItsKey() throws Exception {
    try (var second =
        new SpringApplicationBuilder(PkiApplication.class)
            .run(
                java.util.stream.Stream.concat(
                        TestInfrastructure.springProperties().entrySet().stream()
                            .map(e -> "--" + e.getKey() + "=" + e.getValue()),
                        java.util.stream.Stream.of("--server.port=0"))
                    .toArray(String[]::new))) {
      CaHierarchy reloaded = second.getBean(CaHierarchy.class);
      assertThat(reloaded.issuing().getEncoded()).isEqualTo(cas.issuing().getEncoded());
      assertThat(reloaded.root().getEncoded()).isEqualTo(cas.root().getEncoded());
      // the decrypted key still belongs to the certificate
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(reloaded.issuingKey());
      signer.update(new byte[] {1, 2, 3});
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(cas.issuing().getPublicKey());
      verifier.update(new byte[] {1, 2, 3});
      assertThat(verifier.verify(signature)).isTrue();
    }
    assertThat(jdbc.sql("select count(*) from ca").query(Long.class).single()).isEqualTo(2);
  }

  @Test
  void caKeysAreStoredEncryptedNotAsPkcs8() {
    byte[] stored =
        jdbc.sql("select encrypted_key from ca where id = 'issuing'").query(byte[].class).single();
    assertThat(stored).isNotEqualTo(cas.issuingKey().getEncoded());
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(
            new String(cas.issuingKey().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .substring(0, 20));
  }
}
