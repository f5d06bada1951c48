package dev.ems.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a device keeps what it enrolled, for its IKE daemon: the swanctl directory ({@code
 * /etc/swanctl} on OpenWrt's strongswan-swanctl) under the names the built-in {@code ems-mgmt.conf}
 * uses: {@code x509/device.crt}, {@code private/device.key}, {@code x509ca/ems-tenant-ca.crt} (the
 * CA that issued the device's certificate: its tenant's issuing CA, which the file pins the
 * headend's certificate to with {@code remote cacerts}) and {@code x509ca/ems-root-ca.crt} (EMS's
 * self-signed root, the trust anchor strongSwan needs); any further CA of the chain as {@code
 * x509ca/ems-ca-<n>.crt}. The chain may come in any order (an EST answer is a CMS SET).
 */
public final class SwanctlCredentials {

  public static final String CERTIFICATE = "x509/device.crt";
  public static final String KEY = "private/device.key";
  public static final String TENANT_CA = "x509ca/ems-tenant-ca.crt";
  public static final String ROOT_CA = "x509ca/ems-root-ca.crt";

  private SwanctlCredentials() {}

  /**
   * Writes the device's certificate, key and CA chain under {@code swanctlDir}; the key readable by
   * its owner only. Fails when the chain lacks the CA that issued the certificate: the device could
   * not check its headend.
   */
  public static void install(
      Path swanctlDir, String certificatePem, String privateKeyPem, String chainPem)
      throws IOException {
    X509Certificate device = certificates(certificatePem).getFirst();
    List<X509Certificate> chain = chainPem == null ? List.of() : certificates(chainPem);
    X509Certificate issuer =
        chain.stream()
            .filter(c -> c.getSubjectX500Principal().equals(device.getIssuerX500Principal()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the chain has no certificate of the device certificate's issuer "
                            + device.getIssuerX500Principal()));
    write(swanctlDir.resolve(CERTIFICATE), certificatePem);
    Path key = swanctlDir.resolve(KEY);
    write(key, privateKeyPem);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX permissions: nothing to narrow
    }
    write(swanctlDir.resolve(TENANT_CA), pem(issuer));
    int n = 0;
    for (X509Certificate ca : chain) {
      if (ca.equals(issuer)) {
        continue;
      }
      boolean selfSigned = ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal());
      write(swanctlDir.resolve(selfSigned ? ROOT_CA : "x509ca/ems-ca-" + ++n + ".crt"), pem(ca));
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }

  static List<X509Certificate> certificates(String pem) {
    try {
      List<X509Certificate> all = new ArrayList<>();
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        all.add((X509Certificate) c);
      }
      return all;
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalArgumentException("not PEM certificates", e);
    }
  }

  private static String pem(X509Certificate certificate) {
    try {
      return EstCodec.pem(certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
