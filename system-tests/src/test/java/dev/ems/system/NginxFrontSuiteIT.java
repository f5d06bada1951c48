package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaHttpAuthBuilder;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18's EST and SCEP through the nginx front that docker-compose runs: a real nginx (Debian's,
 * installed by {@code .ci/run}) loaded with {@code docker/nginx/device-api.conf} itself, only its
 * upstream addresses, ports and TLS file paths rewritten for this machine, terminates TLS in front
 * of the suite's device-api and pki-service. BouncyCastle's EST client enrolls with serial and
 * bootstrap token over TLS, then re-enrolls with its certificate as a TLS client certificate that
 * nginx verifies against EMS's CA chain and hands to device-api; that certificate then
 * authenticates the device's own API over mutual TLS, a certificate header forged without TLS is
 * dropped, and SCEP's GetCACaps, the CRL and everything else nginx must not expose are answered as
 * the file says. It needs {@code nginx} and {@code openssl} and fails (never skips) without them.
 */
class NginxFrontSuiteIT {

  private static final String REALM = "ems-est";
  private static Suite suite;
  private static Process nginx;
  private static Path dir;
  private static int port;
  private static X509Certificate serverCertificate;

  @BeforeAll
  static void startNginx() throws Exception {
    suite = RunningSuite.get();
    dir = Files.createTempDirectory("ems-nginx");
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Files.createDirectories(dir.resolve("tmp"));
    // the host's TLS: a certificate for localhost, as ops would put one for their host name
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        tls.resolve("server.key").toString(),
        "-out",
        tls.resolve("server.crt").toString());
    serverCertificate = certificates(Files.readString(tls.resolve("server.crt"))).getFirst();
    // EMS's CA chain for the client certificates, as the README has ops fetch it: EST cacerts
    var cacerts =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + suite.port("device-api")
                                + "/.well-known/est/cacerts"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(cacerts.statusCode()).isEqualTo(200);
    Files.writeString(dir.resolve("cacerts.b64"), cacerts.body());
    run(
        "openssl",
        "base64",
        "-d",
        "-in",
        dir.resolve("cacerts.b64").toString(),
        "-out",
        dir.resolve("cacerts.der").toString());
    run(
        "openssl",
        "pkcs7",
        "-inform",
        "DER",
        "-in",
        dir.resolve("cacerts.der").toString(),
        "-print_certs",
        "-out",
        tls.resolve("device-ca.pem").toString());

    port = freePort();
    String site =
        Files.readString(Path.of("..", "docker", "nginx", "device-api.conf"))
            .replace(
                "server device-api:8080;", "server 127.0.0.1:" + suite.port("device-api") + ";")
            .replace("http://pki-service:8084", "http://127.0.0.1:" + suite.port("pki-service"))
            .replace("listen [::]:443 ssl;", "")
            .replace("listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;")
            .replace("listen 127.0.0.1:8079;", "listen 127.0.0.1:" + freePort() + ";")
            .replace("/etc/nginx/tls/", tls + "/");
    assertThat(site.replaceAll("(?m)^\\s*#.*$", ""))
        .doesNotContain("device-api:8080", "pki-service:8084", "/etc/nginx/", ":443");
    Files.writeString(dir.resolve("device-api.conf"), site);
    String tmp = dir.resolve("tmp").toString();
    Files.writeString(
        dir.resolve("nginx.conf"),
        "user root;\nworker_processes 1;\npid "
            + dir.resolve("nginx.pid")
            + ";\nerror_log "
            + dir.resolve("error.log")
            + ";\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path "
            + tmp
            + "/body;\n  proxy_temp_path "
            + tmp
            + "/proxy;\n  fastcgi_temp_path "
            + tmp
            + "/fastcgi;\n  uwsgi_temp_path "
            + tmp
            + "/uwsgi;\n  scgi_temp_path "
            + tmp
            + "/scgi;\n  include "
            + dir.resolve("device-api.conf")
            + ";\n}\n");
    nginx =
        new ProcessBuilder(
                "nginx",
                "-p",
                dir.toString(),
                "-c",
                dir.resolve("nginx.conf").toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              assertThat(nginx.isAlive()).as(() -> read("nginx.out") + read("error.log")).isTrue();
              try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  @AfterAll
  static void stopNginx() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeviceEnrollsAndReenrollsOverEstThroughNginxAndItsCertificateIsItsTlsIdentity()
      throws Exception {
    String key = SuiteHttp.newTenant(suite, "nginx");
    String serial = "NGX-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode created = SuiteHttp.newDevice(suite, key, serial);
    String deviceId = created.get("id").asString();

    // cacerts through nginx: EMS's chain, as device-api serves it
    X509CertificateHolder[] chain =
        ESTService.storeToArray(est(null).getCACerts().getCertificateStore());
    assertThat(chain).isNotEmpty();

    // simpleenroll, HTTP Basic with serial and bootstrap token (a new device has no certificate)
    KeyPair first = keys();
    X509Certificate enrolled =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () ->
                    single(
                        est(null)
                            .simpleEnroll(
                                false,
                                csr(first, "CN=" + serial),
                                new JcaHttpAuthBuilder(
                                        REALM,
                                        serial,
                                        created.get("bootstrapToken").asString().toCharArray())
                                    .build())
                            .getStore()),
                c -> c != null);
    assertThat(enrolled.getSubjectX500Principal().getName()).contains("CN=" + deviceId);

    // the tenant's issuing CA (issue 19), which the device presents with its certificate so that
    // nginx, trusting EMS's root, can build the chain: EST answers only the issued certificate
    // (RFC 7030 4.2.3), so a device is given it as ops provision it (the operator API), or asks
    // cacerts with its certificate where device-api itself terminates TLS
    List<X509Certificate> tenantChain =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  var r =
                      HttpClient.newHttpClient()
                          .send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://127.0.0.1:"
                                              + suite.port("pki-service")
                                              + "/api/v1/cas/tenant/chain"))
                                  .header("Authorization", "Bearer " + key)
                                  .build(),
                              ofString());
                  return r.statusCode() == 200 ? certificates(r.body()) : null;
                },
                c -> c != null);
    assertThat(enrolled.getIssuerX500Principal())
        .isEqualTo(tenantChain.getFirst().getSubjectX500Principal());

    // issue 19: without the operator, an EST-only device asks cacerts with the serial and bootstrap
    // token it enrolled with (curl, through nginx) and gets its tenant's chain, which it presents
    // with its certificate and pins its headend to; anonymous, it gets the chain of no tenant
    Path b64 = dir.resolve("cacerts-" + serial + ".b64");
    Path der = dir.resolve("cacerts-" + serial + ".der");
    run(
        "curl",
        "-sS",
        "--fail-with-body",
        "--cacert",
        dir.resolve("tls/server.crt").toString(),
        "-u",
        serial + ":" + created.get("bootstrapToken").asString(),
        "-o",
        b64.toString(),
        "https://localhost:" + port + "/.well-known/est/cacerts");
    run("openssl", "base64", "-d", "-in", b64.toString(), "-out", der.toString());
    List<X509Certificate> estChain =
        certificates(
            run("openssl", "pkcs7", "-inform", "DER", "-in", der.toString(), "-print_certs"));
    assertThat(estChain).contains(tenantChain.getFirst());
    for (X509CertificateHolder anonymous :
        ESTService.storeToArray(est(null).getCACerts().getCertificateStore())) {
      assertThat(new JcaX509CertificateConverter().getCertificate(anonymous))
          .isNotEqualTo(tenantChain.getFirst());
    }
    // a wrong token is refused through nginx too
    var wrongToken =
        client(null)
            .send(
                HttpRequest.newBuilder(uri("/.well-known/est/cacerts"))
                    .header(
                        "Authorization",
                        "Basic "
                            + java.util.Base64.getEncoder()
                                .encodeToString(
                                    (serial + ":emsbt_wrong").getBytes(StandardCharsets.UTF_8)))
                    .build(),
                ofString());
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    X509Certificate tenantCa =
        estChain.stream()
            .filter(c -> c.getSubjectX500Principal().equals(enrolled.getIssuerX500Principal()))
            .findFirst()
            .orElseThrow();

    // simplereenroll: the certificate is the TLS client certificate nginx verifies and forwards
    KeyPair second = keys();
    X509Certificate renewed =
        single(
            est(new Identity(first, enrolled, tenantCa))
                .simpleEnroll(true, csr(second, enrolled.getSubjectX500Principal().getName()), null)
                .getStore());
    assertThat(renewed.getPublicKey()).isEqualTo(second.getPublic());
    assertThat(renewed.getSerialNumber()).isNotEqualTo(enrolled.getSerialNumber());

    // the device's own API over mutual TLS with the new certificate
    var mtls = client(new Identity(second, renewed, tenantCa));
    assertThat(mtls.send(get("/device/v1/config-signing-keys"), ofString()).statusCode())
        .isEqualTo(200);
    // no TLS client certificate, a certificate header forged instead: nginx drops the header
    var forged =
        client(null)
            .send(
                HttpRequest.newBuilder(uri("/device/v1/config-signing-keys"))
                    .header("X-SSL-Client-Cert", pemOf(renewed))
                    .build(),
                ofString());
    assertThat(forged.statusCode()).isEqualTo(401);
  }

  @Test
  void scepRevocationAndNothingElseAreReachableThroughNginx() throws Exception {
    var anonymous = client(null);
    var caps = anonymous.send(get("/scep?operation=GetCACaps"), ofString());
    assertThat(caps.statusCode()).isEqualTo(200);
    assertThat(caps.body()).contains("POSTPKIOperation");
    assertThat(anonymous.send(get("/pki/v1/crl"), ofString()).statusCode()).isEqualTo(200);
    // the operator API and the actuator are not behind this door
    assertThat(anonymous.send(get("/api/v1/devices"), ofString()).statusCode()).isEqualTo(404);
    assertThat(anonymous.send(get("/actuator/health"), ofString()).statusCode()).isEqualTo(404);
  }

  /** A device's key, its certificate and the issuing CA it presents with it. */
  private record Identity(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {}

  private static ESTService est(Identity identity) throws Exception {
    var builder = new JsseESTServiceBuilder("localhost:" + port, trustManager());
    if (identity != null) {
      builder.withKeyManager(keyManagers(identity)[0]);
    }
    return builder.build();
  }

  private static HttpClient client(Identity identity) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        identity == null ? null : keyManagers(identity),
        new javax.net.ssl.TrustManager[] {trustManager()},
        null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private static X509TrustManager trustManager() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", serverCertificate);
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }

  private static javax.net.ssl.KeyManager[] keyManagers(Identity identity) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "device",
        identity.keys().getPrivate(),
        new char[0],
        new java.security.cert.Certificate[] {identity.certificate(), identity.issuer()});
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    return kmf.getKeyManagers();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET().build();
  }

  private static URI uri(String path) {
    return URI.create("https://localhost:" + port + path);
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static X509Certificate single(org.bouncycastle.util.Store<X509CertificateHolder> store)
      throws Exception {
    X509CertificateHolder[] all = ESTService.storeToArray(store);
    assertThat(all).hasSize(1);
    return new JcaX509CertificateConverter().getCertificate(all[0]);
  }

  private static PKCS10CertificationRequest csr(KeyPair keys, String dn) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(dn), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
  }

  private static KeyPair keys() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String pemOf(X509Certificate c) throws Exception {
    return java.net.URLEncoder.encode(
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded())
            + "\n-----END CERTIFICATE-----\n",
        StandardCharsets.UTF_8);
  }

  private static List<X509Certificate> certificates(String pem) throws Exception {
    var factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (var c :
        factory.generateCertificates(
            new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(String file) {
    try {
      return Files.exists(dir.resolve(file)) ? Files.readString(dir.resolve(file)) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
