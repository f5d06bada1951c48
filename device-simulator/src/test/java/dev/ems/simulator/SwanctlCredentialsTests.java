package dev.ems.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwanctlCredentialsTests {

  private static final KeyPair ROOT = keys();
  private static final KeyPair TENANT_CA = keys();
  private static final KeyPair DEVICE = keys();
  private static final X509Certificate root =
      certificate("CN=EMS Root CA,O=EMS", "CN=EMS Root CA,O=EMS", ROOT.getPublic(), ROOT, true);
  private static final X509Certificate tenantCa =
      certificate(
          "CN=EMS Issuing CA,OU=acme,O=EMS",
          "CN=EMS Root CA,O=EMS",
          TENANT_CA.getPublic(),
          ROOT,
          true);
  private static final X509Certificate device =
      certificate(
          "CN=d-1,O=acme", "CN=EMS Issuing CA,OU=acme,O=EMS", DEVICE.getPublic(), TENANT_CA, false);

  @Test
  void theIssuingCaGoesWhereTheSwanctlFilePinsTheHeadendAndTheRootBesideIt(@TempDir Path dir)
      throws Exception {
    // root first: an EST answer is a CMS SET, in no particular order
    SwanctlCredentials.install(dir, pem(device), "KEY", pem(root) + pem(tenantCa));

    assertThat(Files.readString(dir.resolve("x509ca/ems-tenant-ca.crt"))).isEqualTo(pem(tenantCa));
    assertThat(Files.readString(dir.resolve("x509ca/ems-root-ca.crt"))).isEqualTo(pem(root));
    assertThat(Files.readString(dir.resolve("x509/device.crt"))).isEqualTo(pem(device));
    assertThat(Files.readString(dir.resolve("private/device.key"))).isEqualTo("KEY");
    assertThat(Files.getPosixFilePermissions(dir.resolve("private/device.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (var files = Files.list(dir.resolve("x509ca"))) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void aChainWithoutTheDevicesIssuerIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> SwanctlCredentials.install(dir, pem(device), "KEY", pem(root)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OU=acme");
    assertThat(dir.resolve("x509ca/ems-tenant-ca.crt")).doesNotExist();
  }

  private static String pem(X509Certificate c) throws Exception {
    return EstCodec.pem(c.getEncoded());
  }

  private static KeyPair keys() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(
      String subject, String issuer, PublicKey key, KeyPair signer, boolean ca) {
    try {
      Instant now = Instant.now();
      PrivateKey signingKey = signer.getPrivate();
      var builder =
          new JcaX509v3CertificateBuilder(
                  new X500Name(issuer),
                  BigInteger.valueOf(now.toEpochMilli())
                      .add(BigInteger.valueOf(subject.hashCode())),
                  Date.from(now.minus(1, ChronoUnit.HOURS)),
                  Date.from(now.plus(1, ChronoUnit.DAYS)),
                  new X500Name(subject),
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
