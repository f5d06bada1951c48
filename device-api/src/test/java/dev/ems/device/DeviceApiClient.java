package dev.ems.device;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A device as the tests play it: its key, certificate (PEM) and HTTP calls to device-api. */
public final class DeviceApiClient {

  public static final String CERT_HEADER = "X-SSL-Client-Cert";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public DeviceApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> get(String path, String certPem, String... headers) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (certPem != null) {
      b.header(CERT_HEADER, URLEncoder.encode(certPem, StandardCharsets.UTF_8));
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String certPem, String body) throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (certPem != null) {
      b.header(CERT_HEADER, URLEncoder.encode(certPem, StandardCharsets.UTF_8));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static KeyPair keyPair() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /**
   * A self-signed certificate standing in for one EMS issued (the tests register its fingerprint).
   */
  public static String selfSignedPem(KeyPair keys, String cn) throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    var holder =
        new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + cn),
                BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(365))),
                new X500Name("CN=" + cn),
                keys.getPublic())
            .build(signer);
    return pem("CERTIFICATE", holder.getEncoded());
  }

  public static String csrPem(KeyPair keys, String cn) throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    var csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), keys.getPublic())
            .build(signer);
    return pem("CERTIFICATE REQUEST", csr.getEncoded());
  }

  public static String fingerprint(String pem) throws Exception {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(b64)));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
