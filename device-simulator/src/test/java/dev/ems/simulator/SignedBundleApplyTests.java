package dev.ems.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.signing.ConfigSignatures;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14.7: the simulated device applies a bundle only when its signature verifies with a
 * config-signing chain that leads to its CA; otherwise it reports FAILED with {@code signature:
 * ...}. device-api is played by a small HTTP server answering as device-api does.
 */
class SignedBundleApplyTests {

  static final JsonMapper JSON = new JsonMapper();
  static final List<ConfigFile> FILES =
      List.of(new ConfigFile("/etc/config/system", "option hostname 'cpe'\n"));

  HttpServer server;
  SimulatedDevice device;
  final List<JsonNode> reports = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> servedKeys = new CopyOnWriteArrayList<>();
  volatile String body;
  final java.util.concurrent.atomic.AtomicBoolean keysRefused =
      new java.util.concurrent.atomic.AtomicBoolean();
  volatile String signature;

  KeyPair rootKeys;
  X509Certificate root;
  KeyPair signingKeys;
  X509Certificate signing;

  @BeforeEach
  void deviceApi() throws Exception {
    rootKeys = keyPair();
    root = certificate("CN=Root", "CN=Root", rootKeys.getPublic(), rootKeys.getPrivate(), true);
    signingKeys = keyPair();
    signing =
        certificate("CN=Root", "CN=signing", signingKeys.getPublic(), rootKeys.getPrivate(), false);
    servedKeys.add(key(signingKeys, signing, root));

    String rootPem = pem(root);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/device/v1/enroll",
        x ->
            respond(
                x,
                200,
                JSON.writeValueAsString(
                    Map.of(
                        "deviceId",
                        "d-1",
                        "certificatePem",
                        "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n",
                        "caBundlePem",
                        rootPem,
                        "configSigningKeys",
                        List.of(servedKeys.getFirst()))),
                null));
    server.createContext(
        "/device/v1/config-signing-keys",
        x -> {
          if (keysRefused.getAndSet(false)) {
            respond(x, 429, "", null);
          } else {
            respond(x, 200, JSON.writeValueAsString(Map.of("keys", servedKeys)), null);
          }
        });
    server.createContext(
        "/device/v1/config",
        x -> {
          if (("\"" + version + "\"").equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
            respond(x, 304, "", null);
          } else {
            respond(x, 200, body, signature);
          }
        });
    server.createContext(
        "/device/v1/config-status",
        x -> {
          reports.add(JSON.readTree(x.getRequestBody().readAllBytes()));
          respond(x, 202, "", null);
        });
    server.start();
    device =
        new SimulatedDevice(
            HttpClient.newHttpClient(),
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "SN-1",
            "X-SSL-Client-Cert");
    assertThat(device.enroll("emsbt_x")).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aBundleSignedByTheTenantsKeyIsApplied() throws Exception {
    serve(FILES, sign(FILES, signingKeys, signing));

    assertThat(fetchAndApply()).isEqualTo("APPLIED");
    assertThat(device.lastRefusal()).isNull();
  }

  @Test
  void aTamperedBundleIsNotAppliedAndReportedFailedWithTheReason() throws Exception {
    String genuine = sign(FILES, signingKeys, signing);
    serve(List.of(new ConfigFile("/etc/config/system", "option hostname 'evil'\n")), genuine);

    assertThat(fetchAndApply()).isEqualTo("FAILED");
    assertThat(reports.getLast().get("error").asString())
        .startsWith("signature: the bundle does not match its signature");
  }

  @Test
  void anUnsignedBundleOrAKeyThatDoesNotLeadToTheDevicesCaIsRefused() throws Exception {
    serve(FILES, null);
    assertThat(fetchAndApply()).isEqualTo("FAILED");
    assertThat(reports.getLast().get("error").asString())
        .isEqualTo("signature: the bundle is not signed");

    // device-api serves a chain of its own making: it does not lead to the device's CA
    KeyPair rogue = keyPair();
    X509Certificate rogueCert =
        certificate("CN=rogue", "CN=rogue", rogue.getPublic(), rogue.getPrivate(), false);
    servedKeys.add(key(rogue, rogueCert, rogueCert));
    serve(List.of(new ConfigFile("/etc/config/system", "rogue\n")), sign(FILES, rogue, rogueCert));
    assertThat(fetchAndApply()).isEqualTo("FAILED");
    assertThat(reports.getLast().get("error").asString())
        .startsWith("signature: no config-signing certificate has key id");
  }

  @Test
  void afterARotationTheNewKeyIsFetchedAndAnOldBundleStillVerifies() throws Exception {
    String oldSignature = sign(FILES, signingKeys, signing);
    KeyPair rotated = keyPair();
    X509Certificate rotatedCert =
        certificate("CN=Root", "CN=signing-2", rotated.getPublic(), rootKeys.getPrivate(), false);
    servedKeys.addFirst(key(rotated, rotatedCert, root));
    List<ConfigFile> next = List.of(new ConfigFile("/etc/config/system", "v2\n"));

    serve(next, sign(next, rotated, rotatedCert));
    assertThat(fetchAndApply()).isEqualTo("APPLIED");
    serve(FILES, oldSignature);
    assertThat(fetchAndApply()).isEqualTo("APPLIED");
  }

  @Test
  void aRotatedKeyDeviceApiCannotServeNowIsNotAFailureTheNextPollTriesAgain() throws Exception {
    KeyPair rotated = keyPair();
    X509Certificate rotatedCert =
        certificate("CN=Root", "CN=signing-2", rotated.getPublic(), rootKeys.getPrivate(), false);
    servedKeys.addFirst(key(rotated, rotatedCert, root));
    serve(FILES, sign(FILES, rotated, rotatedCert));
    keysRefused.set(true);

    assertThat(device.fetchConfig()).isEqualTo(200);
    // the rate limit answers the key fetch: nothing is judged, nothing reported
    assertThat(device.apply(null)).isEqualTo(429);
    assertThat(reports).isEmpty();
    assertThat(device.lastRefusal()).isNull();
    assertThat(fetchAndApply()).isEqualTo("APPLIED");
  }

  @Test
  void aBundleOfAKeyWhoseChainIsNotPublishedYetIsFetchedAndCheckedAgainOnTheNextPoll()
      throws Exception {
    KeyPair first = keyPair();
    X509Certificate firstCert =
        certificate("CN=Root", "CN=first", first.getPublic(), rootKeys.getPrivate(), false);
    serve(FILES, sign(FILES, first, firstCert));
    assertThat(fetchAndApply()).isEqualTo("FAILED");
    assertThat(reports.getLast().get("error").asString())
        .startsWith("signature: no config-signing certificate has key id");

    servedKeys.add(key(first, firstCert, root));
    assertThat(fetchAndApply()).isEqualTo("APPLIED");
    // applied: the next poll is a 304 again
    assertThat(device.fetchConfig()).isEqualTo(304);
  }

  private String fetchAndApply() throws Exception {
    assertThat(device.fetchConfig()).isEqualTo(200);
    int before = reports.size();
    assertThat(device.apply(null)).isEqualTo(202);
    assertThat(reports).hasSize(before + 1);
    return reports.getLast().get("status").asString();
  }

  private int version;

  private void serve(List<ConfigFile> files, String signature) throws Exception {
    version++;
    List<Map<String, String>> list = new ArrayList<>();
    files.forEach(f -> list.add(Map.of("path", f.path(), "content", f.content())));
    this.body =
        JSON.writeValueAsString(
            Map.of("version", version, "sha256", ConfigSignatures.sha256(files), "files", list));
    this.signature = signature;
  }

  private static String sign(List<ConfigFile> files, KeyPair key, X509Certificate cert) {
    return ConfigSignatures.sign(
        files,
        key.getPrivate(),
        ConfigSignatures.kid(key.getPublic()),
        ConfigSignatures.x5tS256(cert));
  }

  private static Map<String, String> key(KeyPair key, X509Certificate leaf, X509Certificate top)
      throws Exception {
    return Map.of(
        "keyId",
        ConfigSignatures.kid(key.getPublic()),
        "chainPem",
        leaf.equals(top) ? pem(leaf) : pem(leaf) + pem(top));
  }

  private void respond(HttpExchange x, int status, String text, String signature)
      throws java.io.IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    if (status == 200) {
      x.getResponseHeaders().set("ETag", "\"" + version + "\"");
    }
    if (signature != null) {
      x.getResponseHeaders().set(ConfigSignatures.HEADER, signature);
    }
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  private static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(
      String issuer, String subject, java.security.PublicKey key, PrivateKey signer, boolean ca)
      throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()),
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(90))),
                new X500Name(subject),
                key)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (!ca) {
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }
}
