package dev.ems.pki.ejbca;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.ems.pki.TestCsrs;
import java.io.FileOutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTPS server that answers like EJBCA's REST API v1 (paths, JSON field names, status codes
 * and {@code {"error_code", "error_message"}} errors) and requires a client certificate (mTLS).
 */
final class EjbcaStub implements AutoCloseable {

  static final String PREFIX = "/ejbca/ejbca-rest-api";
  static final String CA_DN = "CN=Stub EJBCA Issuing CA,O=Stub";
  static final String CA_NAME = "ManagementCA";

  /** A second CA (issue 19: a tenant's own CA in EJBCA, made there by its admin). */
  static final String TENANT_CA_DN = "CN=Stub EJBCA Tenant B CA,O=Stub";

  static final String TENANT_CA_NAME = "TenantBCA";
  static final String PASSWORD = "changeit";

  final Path clientKeyStore;
  final Path trustStore;
  final Map<String, JsonNode> users = new ConcurrentHashMap<>();
  final Map<String, String> revoked = new ConcurrentHashMap<>();
  final List<String> clientSubjects = new CopyOnWriteArrayList<>();
  private final JsonMapper json = JsonMapper.builder().build();
  private final KeyPair caKeys = TestCsrs.ec("secp256r1");
  private final X509Certificate ca;
  private final KeyPair tenantCaKeys = TestCsrs.ec("secp256r1");
  private final X509Certificate tenantCa;
  private final HttpsServer server;

  EjbcaStub(Path dir) throws Exception {
    ca = sign(new X500Principal(CA_DN), caKeys.getPublic(), true, null);
    tenantCa =
        sign(
            new X500Principal(TENANT_CA_DN),
            tenantCaKeys.getPublic(),
            true,
            null,
            new X500Principal(TENANT_CA_DN),
            tenantCaKeys);
    KeyPair serverKeys = TestCsrs.ec("secp256r1");
    X509Certificate serverCert =
        sign(new X500Principal("CN=localhost"), serverKeys.getPublic(), false, "localhost");
    KeyPair clientKeys = TestCsrs.ec("secp256r1");
    X509Certificate clientCert =
        sign(new X500Principal("CN=ems-pki-service"), clientKeys.getPublic(), false, null);
    clientKeyStore = store(dir.resolve("client.p12"), clientKeys.getPrivate(), clientCert);
    trustStore = dir.resolve("trust.p12");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    try (var out = new FileOutputStream(trustStore.toFile())) {
      trust.store(out, PASSWORD.toCharArray());
    }
    KeyStore serverStore = KeyStore.getInstance("PKCS12");
    serverStore.load(null, null);
    serverStore.setKeyEntry(
        "server",
        serverKeys.getPrivate(),
        PASSWORD.toCharArray(),
        new X509Certificate[] {serverCert, ca});
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverStore, PASSWORD.toCharArray());
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            var ssl = tls.getDefaultSSLParameters();
            ssl.setNeedClientAuth(true);
            params.setSSLParameters(ssl);
          }
        });
    server.createContext(PREFIX + "/v1/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "https://localhost:" + server.getAddress().getPort() + PREFIX;
  }

  private void handle(HttpExchange exchange) throws java.io.IOException {
    try (exchange) {
      var peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
      clientSubjects.add(((X509Certificate) peer[0]).getSubjectX500Principal().getName());
      String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
      String method = exchange.getRequestMethod();
      byte[] in = exchange.getRequestBody().readAllBytes();
      JsonNode body = in.length == 0 ? null : json.readTree(in);
      if (method.equals("POST") && path.equals("/v1/endentity")) {
        String user = body.get("username").asString();
        if (users.putIfAbsent(user, body) != null) {
          error(exchange, 409, "End entity with username " + user + " already exists.");
          return;
        }
        exchange.sendResponseHeaders(200, -1);
      } else if (method.equals("POST") && path.equals("/v1/certificate/pkcs10enroll")) {
        enroll(exchange, body);
      } else if (method.equals("PUT") && path.endsWith("/revoke")) {
        revoke(exchange, path, exchange.getRequestURI().getQuery());
      } else if (method.equals("DELETE") && path.startsWith("/v1/endentity/")) {
        String user = URLDecoder.decode(path.substring(14), StandardCharsets.UTF_8);
        if (users.remove(user) == null) {
          error(exchange, 404, "Could not find End Entity for the username " + user);
          return;
        }
        exchange.sendResponseHeaders(204, -1);
      } else {
        error(exchange, 404, "Resource not found");
      }
    } catch (Exception e) {
      error(exchange, 500, "General error: " + e);
    }
  }

  private void enroll(HttpExchange exchange, JsonNode body) throws Exception {
    JsonNode user = users.get(body.get("username").asString());
    if (user == null || !user.get("password").asString().equals(body.get("password").asString())) {
      error(exchange, 400, "Wrong username or password");
      return;
    }
    // EJBCA issues from the CA named in the request, which must be the end entity's CA
    String caName = body.path("certificate_authority_name").asString();
    if (!caName.equals(user.path("ca_name").asString())) {
      error(exchange, 400, "CA " + caName + " is not the end entity's CA");
      return;
    }
    boolean tenants = TENANT_CA_NAME.equals(caName);
    if (!tenants && !CA_NAME.equals(caName)) {
      error(exchange, 404, "CA with name " + caName + " doesn't exist.");
      return;
    }
    X509Certificate issuer = tenants ? tenantCa : ca;
    String pem = body.get("certificate_request").asString();
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    var csr = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(der));
    X509Certificate cert =
        sign(
            new X500Principal(user.get("subject_dn").asString()),
            csr.getPublicKey(),
            false,
            null,
            issuer.getSubjectX500Principal(),
            tenants ? tenantCaKeys : caKeys);
    var encoder = Base64.getEncoder();
    respond(
        exchange,
        201,
        Map.of(
            "certificate", encoder.encodeToString(cert.getEncoded()),
            "serial_number", cert.getSerialNumber().toString(16).toUpperCase(),
            "response_format", "DER",
            "certificate_chain", List.of(encoder.encodeToString(issuer.getEncoded()))));
  }

  private void revoke(HttpExchange exchange, String path, String query) throws Exception {
    String[] parts = path.split("/");
    String issuer = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
    String serial = parts[4];
    String reason = query == null ? "UNSPECIFIED" : query.replace("reason=", "");
    if (!issuer.equals(ca.getSubjectX500Principal().getName())
        && !issuer.equals(tenantCa.getSubjectX500Principal().getName())) {
      error(exchange, 404, "CA with DN: " + issuer + " does not exist.");
      return;
    }
    if (revoked.putIfAbsent(serial, reason) != null) {
      error(exchange, 409, "Certificate is already revoked");
      return;
    }
    respond(
        exchange,
        200,
        Map.of(
            "issuer_dn",
            issuer,
            "serial_number",
            serial,
            "revocation_reason",
            reason,
            "revocation_date",
            Instant.now().toString(),
            "message",
            "Successfully revoked",
            "revoked",
            true));
  }

  private void error(HttpExchange exchange, int status, String message) throws java.io.IOException {
    respond(exchange, status, Map.of("error_code", status, "error_message", message));
  }

  private void respond(HttpExchange exchange, int status, Object body) throws java.io.IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private X509Certificate sign(
      X500Principal subject, java.security.PublicKey key, boolean isCa, String dns)
      throws Exception {
    return sign(subject, key, isCa, dns, isCa ? subject : new X500Principal(CA_DN), caKeys);
  }

  private X509Certificate sign(
      X500Principal subject,
      java.security.PublicKey key,
      boolean isCa,
      String dns,
      X500Principal issuer,
      KeyPair issuerKeys)
      throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(now.toEpochMilli())
                    .add(BigInteger.valueOf(System.nanoTime() & 0xffffff)),
                Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(30, ChronoUnit.DAYS)),
                subject,
                key)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (dns != null) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static Path store(Path file, PrivateKey key, X509Certificate cert) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", key, PASSWORD.toCharArray(), new X509Certificate[] {cert});
    try (var out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
    return file;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
