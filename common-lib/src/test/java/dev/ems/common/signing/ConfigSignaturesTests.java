package dev.ems.common.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.common.event.ConfigFile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ConfigSignaturesTests {

  static final List<ConfigFile> FILES =
      List.of(
          new ConfigFile("/etc/config/system", "config system\n"),
          new ConfigFile("/etc/config/network", "config interface 'wan'\n"));
  static final Instant NOW = Instant.now();

  @Test
  void payloadIsTheCanonicalBundleWhoseHashIsTheEtag() throws Exception {
    byte[] expected =
        "/etc/config/network\0config interface 'wan'\n\0/etc/config/system\0config system\n\0"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(ConfigSignatures.payload(FILES)).isEqualTo(expected);
    assertThat(ConfigSignatures.sha256(FILES))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)));
    assertThat(ConfigSignatures.sha256(FILES.reversed())).isEqualTo(ConfigSignatures.sha256(FILES));
  }

  @Test
  void aSignedBundleVerifiesWithItsCertificateAndNamesItsKey() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate cert = certificate(keys, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    String kid = ConfigSignatures.kid(keys.getPublic());
    String jws =
        ConfigSignatures.sign(FILES, keys.getPrivate(), kid, ConfigSignatures.x5tS256(cert));

    assertThat(jws).matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]{86}");
    String header = new String(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
    assertThat(header)
        .isEqualTo(
            "{\"alg\":\"ES256\",\"kid\":\""
                + kid
                + "\",\"x5t#S256\":\""
                + ConfigSignatures.x5tS256(cert)
                + "\"}");
    var verified = ConfigSignatures.verify(FILES.reversed(), jws, List.of(cert), NOW);
    assertThat(verified.kid()).isEqualTo(kid);
    assertThat(verified.certificate()).isEqualTo(cert);
    assertThat(ConfigSignatures.kidOf(jws)).isEqualTo(kid);
  }

  @Test
  void aSignatureMadeBeforeTheCertificateWasKnownVerifiesByKeyId() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate cert = certificate(keys, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    String jws =
        ConfigSignatures.sign(
            FILES, keys.getPrivate(), ConfigSignatures.kid(keys.getPublic()), null);

    assertThat(ConfigSignatures.verify(FILES, jws, List.of(cert), NOW).certificate())
        .isEqualTo(cert);
  }

  @Test
  void aTamperedFileIsRejected() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate cert = certificate(keys, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    String jws =
        ConfigSignatures.sign(
            FILES, keys.getPrivate(), ConfigSignatures.kid(keys.getPublic()), null);
    List<ConfigFile> tampered =
        List.of(FILES.get(0), new ConfigFile("/etc/config/network", "config interface 'wan2'\n"));

    assertThatThrownBy(() -> ConfigSignatures.verify(tampered, jws, List.of(cert), NOW))
        .isInstanceOf(ConfigSignatures.Rejected.class)
        .hasMessageContaining("does not match its signature");
    List<ConfigFile> added =
        List.of(FILES.get(0), FILES.get(1), new ConfigFile("/etc/rc.local", "reboot\n"));
    assertThatThrownBy(() -> ConfigSignatures.verify(added, jws, List.of(cert), NOW))
        .isInstanceOf(ConfigSignatures.Rejected.class);
  }

  @Test
  void aSignatureByAnotherKeyIsRejected() throws Exception {
    KeyPair trusted = keyPair();
    KeyPair other = keyPair();
    X509Certificate cert = certificate(trusted, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    String foreignKid =
        ConfigSignatures.sign(
            FILES, other.getPrivate(), ConfigSignatures.kid(other.getPublic()), null);
    // another key claiming the trusted key's id
    String forged =
        ConfigSignatures.sign(
            FILES, other.getPrivate(), ConfigSignatures.kid(trusted.getPublic()), null);

    assertThatThrownBy(() -> ConfigSignatures.verify(FILES, foreignKid, List.of(cert), NOW))
        .isInstanceOf(ConfigSignatures.Rejected.class)
        .hasMessageContaining("no config-signing certificate has key id");
    assertThatThrownBy(() -> ConfigSignatures.verify(FILES, forged, List.of(cert), NOW))
        .isInstanceOf(ConfigSignatures.Rejected.class)
        .hasMessageContaining("does not match its signature");
  }

  @Test
  void aMissingMalformedOrExpiredSignatureIsRejected() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate expired =
        certificate(keys, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)));
    String jws =
        ConfigSignatures.sign(
            FILES, keys.getPrivate(), ConfigSignatures.kid(keys.getPublic()), null);

    assertThatThrownBy(() -> ConfigSignatures.verify(FILES, null, List.of(expired), NOW))
        .hasMessage("the bundle is not signed");
    assertThat(ConfigSignatures.kidOf(null)).isNull();
    assertThat(ConfigSignatures.kidOf("garbage")).isNull();
    assertThatThrownBy(() -> ConfigSignatures.verify(FILES, "abc.def.ghi", List.of(expired), NOW))
        .hasMessageContaining("detached payload");
    assertThatThrownBy(() -> ConfigSignatures.verify(FILES, jws, List.of(expired), NOW))
        .hasMessageContaining("is not valid now");
    String none =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"x\"}".getBytes())
            + "..";
    assertThatThrownBy(() -> ConfigSignatures.verify(FILES, none, List.of(expired), NOW))
        .hasMessageContaining("not ES256");
  }

  @Test
  void parsesAPemChainInOrder() throws Exception {
    X509Certificate a = certificate(keyPair(), NOW.minusSeconds(60), NOW.plusSeconds(3600));
    X509Certificate b = certificate(keyPair(), NOW.minusSeconds(60), NOW.plusSeconds(3600));

    assertThat(ConfigSignatures.parseChain(pem(a) + pem(b))).containsExactly(a, b);
  }

  static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static X509Certificate certificate(KeyPair keys, Instant from, Instant to) throws Exception {
    X500Name name = new X500Name("CN=config-signing");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(System.nanoTime()),
            Date.from(from),
            Date.from(to),
            name,
            keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
