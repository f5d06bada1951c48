package dev.ems.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issue 21 item 2 (bench/tls.sh): the certificates and the reconnect storm.
 *
 * <p>{@code pki <dir>}: an ECDSA P-256 hierarchy shaped like EMS's (root CA → issuing CA → device
 * certificates with {@code clientAuth}, verify depth 2), a P-256 server certificate for {@code
 * localhost}/127.0.0.1 from the same issuing CA, and one device certificate for {@code openssl
 * s_time}. Files: {@code root.pem}, {@code device-ca.pem} (issuing + root), {@code issuing.pem},
 * {@code issuing.key}, {@code server.crt} (leaf + issuing), {@code server.key}, {@code client.crt},
 * {@code client.key}.
 *
 * <p>{@code storm <dir> <port> <path> <devices> <label>}: issues {@code devices} device
 * certificates from the issuing CA (each its own P-256 key, each device its own SSLContext, so no
 * client-side session is shared), then all devices connect at once (one virtual thread each, a
 * latch releases them together), complete a full TLS handshake with their certificate and make one
 * HTTP/1.1 request. Prints one line: all served after (time until the last answer), p50/p99 of the
 * time to answer, answers by status, errors by kind.
 */
public final class TlsEdgeBenchmark {

  private static final String SIG = "SHA256withECDSA";

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "pki" -> pki(dir);
      case "storm" ->
          storm(dir, Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]), args[5]);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void pki(Path dir) throws Exception {
    Files.createDirectories(dir);
    KeyPair root = p256();
    X509Certificate rootCert =
        cert("CN=TLS bench Root CA", root.getPublic(), "CN=TLS bench Root CA", root, true, 1, null);
    KeyPair issuing = p256();
    X509Certificate issuingCert =
        cert(
            "CN=TLS bench Issuing CA",
            issuing.getPublic(),
            "CN=TLS bench Root CA",
            root,
            true,
            0,
            null);
    KeyPair server = p256();
    X509Certificate serverCert =
        cert(
            "CN=localhost",
            server.getPublic(),
            "CN=TLS bench Issuing CA",
            issuing,
            false,
            -1,
            KeyPurposeId.id_kp_serverAuth);
    KeyPair client = p256();
    X509Certificate clientCert = device(0, client.getPublic(), issuing);
    write(dir.resolve("root.pem"), pem("CERTIFICATE", rootCert.getEncoded()));
    write(dir.resolve("issuing.pem"), pem("CERTIFICATE", issuingCert.getEncoded()));
    write(
        dir.resolve("device-ca.pem"),
        pem("CERTIFICATE", issuingCert.getEncoded()) + pem("CERTIFICATE", rootCert.getEncoded()));
    write(dir.resolve("issuing.key"), pem("PRIVATE KEY", issuing.getPrivate().getEncoded()));
    write(
        dir.resolve("server.crt"),
        pem("CERTIFICATE", serverCert.getEncoded()) + pem("CERTIFICATE", issuingCert.getEncoded()));
    write(dir.resolve("server.key"), pem("PRIVATE KEY", server.getPrivate().getEncoded()));
    write(dir.resolve("client.crt"), pem("CERTIFICATE", clientCert.getEncoded()));
    write(dir.resolve("client.key"), pem("PRIVATE KEY", client.getPrivate().getEncoded()));
  }

  static void storm(Path dir, int port, String path, int devices, String label) throws Exception {
    X509Certificate issuingCert = readCert(dir.resolve("issuing.pem"));
    X509Certificate rootCert = readCert(dir.resolve("root.pem"));
    PrivateKey issuingKey = readKey(dir.resolve("issuing.key"));
    KeyPair issuing = new KeyPair(issuingCert.getPublicKey(), issuingKey);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", rootCert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    char[] pw = "bench".toCharArray();
    SSLContext[] contexts = new SSLContext[devices];
    IntStream.range(0, devices)
        .parallel()
        .forEach(
            i -> {
              try {
                KeyPair kp = p256();
                X509Certificate c = device(i, kp.getPublic(), issuing);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry(
                    "device", kp.getPrivate(), pw, new X509Certificate[] {c, issuingCert});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
                kmf.init(ks, pw);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                contexts[i] = ctx;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    long[] answeredNanos = new long[devices];
    Arrays.fill(answeredNanos, -1);
    Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(devices);
    long[] start = new long[1];
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < devices; i++) {
        int d = i;
        threads.submit(
            () -> {
              try {
                go.await();
                try (SSLSocket s = (SSLSocket) contexts[d].getSocketFactory().createSocket()) {
                  s.setSoTimeout(120_000);
                  s.connect(new InetSocketAddress("127.0.0.1", port), 120_000);
                  s.startHandshake();
                  OutputStream out = s.getOutputStream();
                  out.write(request);
                  out.flush();
                  String status = statusLine(s.getInputStream());
                  answeredNanos[d] = System.nanoTime() - start[0];
                  statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                }
              } catch (Exception e) {
                String kind = e.getClass().getSimpleName() + ": " + e.getMessage();
                errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
              } finally {
                done.countDown();
              }
              return null;
            });
      }
      System.gc();
      Thread.sleep(500);
      start[0] = System.nanoTime();
      go.countDown();
      done.await();
    }
    long wall = System.nanoTime() - start[0];
    long[] ok = Arrays.stream(answeredNanos).filter(n -> n >= 0).sorted().toArray();
    Map<String, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.get()));
    Map<String, Long> byError = new TreeMap<>();
    errors.forEach((k, v) -> byError.put(k, v.get()));
    System.out.printf(
        "%s: %d devices, %d answered, all served after %s, p50 %s, p99 %s, max %s (wall %.2f s);"
            + " answers %s; errors %s%n",
        label,
        devices,
        ok.length,
        ok.length == devices
            ? secs(ok[ok.length - 1])
            : "never (" + (devices - ok.length) + " lost)",
        ok.length == 0 ? "-" : secs(ok[(int) (ok.length * 0.50)]),
        ok.length == 0 ? "-" : secs(ok[Math.min(ok.length - 1, (int) (ok.length * 0.99))]),
        ok.length == 0 ? "-" : secs(ok[ok.length - 1]),
        wall / 1e9,
        byStatus,
        byError.isEmpty() ? "none" : byError);
  }

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    String[] parts = line.toString().trim().split(" ");
    if (parts.length < 2) {
      throw new IllegalStateException("no status line");
    }
    // read the rest, so the answer is complete before it counts
    byte[] buf = new byte[8192];
    while (in.read(buf) != -1) {
      // drain
    }
    return parts[1];
  }

  private static String secs(long nanos) {
    return String.format("%.2f s", nanos / 1e9);
  }

  static X509Certificate device(int i, PublicKey key, KeyPair issuing) throws Exception {
    return cert(
        "CN=tls-bench-device-" + i + ",O=EMS devices",
        key,
        "CN=TLS bench Issuing CA",
        issuing,
        false,
        -1,
        KeyPurposeId.id_kp_clientAuth);
  }

  static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate cert(
      String subject,
      PublicKey key,
      String issuer,
      KeyPair issuerKeys,
      boolean ca,
      int pathLen,
      KeyPurposeId eku)
      throws Exception {
    Instant now = Instant.now();
    var b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            new BigInteger(64, new java.security.SecureRandom()).abs().add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(30))),
            new X500Name(subject),
            key);
    var ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    b.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
    if (ca) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
      if (eku == KeyPurposeId.id_kp_serverAuth) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
    }
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(SIG).build(issuerKeys.getPrivate())));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void write(Path p, String s) throws Exception {
    Files.writeString(p, s);
  }

  private static X509Certificate readCert(Path p) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(p)));
  }

  private static PrivateKey readKey(Path p) throws Exception {
    String b64 = Files.readString(p).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  private TlsEdgeBenchmark() {}
}
