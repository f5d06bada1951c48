package dev.ems.device.enrollment;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * What a SCEP device brings: an RSA key, the self-signed certificate it signs its requests with
 * (RFC 8894 2.3), a CSR with the bootstrap token as challengePassword; and Debian's {@code
 * scepclient} run as a process.
 */
final class ScepWire {

  private ScepWire() {}

  record Device(KeyPair keys, X509Certificate selfSigned) {}

  static Device device(String cn) throws Exception {
    return device(cn, Duration.ofSeconds(60), Duration.ofDays(1));
  }

  /** A device whose self-signed certificate is valid from {@code before} now to {@code after}. */
  static Device device(String cn, Duration before, Duration after) throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=" + cn),
            BigInteger.valueOf(System.nanoTime()),
            Date.from(Instant.now().minus(before)),
            Date.from(Instant.now().plus(after)),
            new X500Name("CN=" + cn),
            keys.getPublic());
    var certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    return new Device(keys, certificate);
  }

  static PKCS10CertificationRequest csr(Device device, String subject, String challenge)
      throws Exception {
    var builder =
        new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), device.keys().getPublic());
    if (challenge != null) {
      builder.addAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERUTF8String(challenge));
    }
    return builder.build(
        new JcaContentSignerBuilder("SHA256withRSA").build(device.keys().getPrivate()));
  }

  static String sha256(X509Certificate certificate) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }

  record Run(int exit, String output) {}

  /**
   * Debian's {@code scepclient} (package {@code scep}, micromdm): GetCACert, then PKCSReq for a new
   * RSA key with {@code -challenge}, encrypted for the certificate of {@code -ca-fingerprint}
   * (without it the client encrypts for every certificate of GetCACert, the CAs' EC keys too).
   */
  static Run scepclient(Path dir, String url, String cn, String challenge, String raFingerprint)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "scepclient",
                "-private-key",
                dir.resolve("device.key").toString(),
                "-certificate",
                dir.resolve("device.pem").toString(),
                "-server-url",
                url,
                "-cn",
                cn,
                "-challenge",
                challenge,
                "-ca-fingerprint",
                raFingerprint));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("scepclient did not finish within 60 s");
    }
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes()));
  }

  static Path tempDir() throws Exception {
    Path dir = Files.createTempDirectory("scep");
    dir.toFile().deleteOnExit();
    return dir;
  }
}
