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
    assertThat(
            jdbc.sql("select count(*) from ca where tenant_id is null").query(Long.class).single())
        .isEqualTo(2);
  }

  @Autowired IssuingCas issuing;

  /**
   * Issue 19: two replicas asked at once for a new tenant's CA make one (the database's unique
   * index lets one insert win), and both sign with it; its key is stored sealed.
   */
  @Test
  void twoReplicasMakingANewTenantsCaAtOnceAgreeOnOne() throws Exception {
    String tenant = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    try (var second =
        new SpringApplicationBuilder(PkiApplication.class)
            .run(
                java.util.stream.Stream.concat(
                        TestInfrastructure.springProperties().entrySet().stream()
                            .map(e -> "--" + e.getKey() + "=" + e.getValue()),
                        java.util.stream.Stream.of("--server.port=0"))
                    .toArray(String[]::new))) {
      IssuingCas other = second.getBean(IssuingCas.class);
      var start = new java.util.concurrent.CountDownLatch(1);
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
        var made = new java.util.ArrayList<java.util.concurrent.Future<IssuingCa>>();
        for (IssuingCas replica : java.util.List.of(issuing, other, issuing, other)) {
          made.add(
              pool.submit(
                  () -> {
                    start.await();
                    return replica.forTenant(tenant);
                  }));
        }
        start.countDown();
        var certificates = new java.util.HashSet<String>();
        for (var f : made) {
          IssuingCa ca = f.get();
          certificates.add(java.util.HexFormat.of().formatHex(ca.certificate().getEncoded()));
          assertThat(ca.tenant()).isEqualTo(tenant);
          assertThat(ca.subjectDn()).contains("OU=" + tenant);
          // signed by EMS's root, and the key each replica holds belongs to that one certificate
          ca.certificate().verify(cas.root().getPublicKey());
          Signature signer = Signature.getInstance("SHA256withECDSA");
          signer.initSign(ca.key());
          signer.update(new byte[] {4});
          byte[] signature = signer.sign();
          Signature verifier = Signature.getInstance("SHA256withECDSA");
          verifier.initVerify(ca.certificate().getPublicKey());
          verifier.update(new byte[] {4});
          assertThat(verifier.verify(signature)).isTrue();
        }
        assertThat(certificates).hasSize(1);
      }
    }
    assertThat(
            jdbc.sql("select count(*) from ca where tenant_id = ?")
                .param(tenant)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    byte[] stored =
        jdbc.sql("select encrypted_key from ca where tenant_id = ?")
            .param(tenant)
            .query(byte[].class)
            .single();
    byte[] pkcs8 = issuing.forTenant(tenant).key().getEncoded();
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(
            new String(pkcs8, java.nio.charset.StandardCharsets.ISO_8859_1).substring(20, 40));
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
