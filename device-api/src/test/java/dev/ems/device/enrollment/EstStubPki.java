package dev.ems.device.enrollment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ems.device.identity.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * pki-service's internal API as device-api uses it for EST and renewal (docs/adr/0006): enrollment
 * and renewal certify the CSR's key under a test CA that device-api's TLS trust store holds, so a
 * certificate it issues works at once for mutual TLS; {@code ca-chain} serves that CA. Told to, it
 * refuses a renewal as pki-service does. {@code scep-ra} serves an RA certified by that CA.
 */
final class EstStubPki implements AutoCloseable {

  static final String KEY = dev.ems.embedded.TestInfrastructure.INTERNAL_API_KEY;

  final AtomicInteger issued = new AtomicInteger();
  final AtomicReference<String> renewalRefusal = new AtomicReference<>();
  final AtomicReference<String> lastRenewedCertificate = new AtomicReference<>();

  /** The query of the last {@code ca-chain} call ("" without one): the tenant asked for. */
  final AtomicReference<String> lastChainQuery = new AtomicReference<>();

  private final TestPki.Issued ca;

  /** A tenant's issuing CA as pki-service knows it by id (SCEP GetCACert's message, issue 19). */
  static final String TENANT_CA_ID = "tenant-7f1c2d9e-0000-4000-8000-000000000019";

  final TestPki.Issued tenantCa;

  /** How often {@code ca-chain} was asked by CA id. */
  final AtomicInteger chainByIdQueries = new AtomicInteger();

  /** The SCEP RA {@code /internal/v1/scep-ra} hands out (issue 18). */
  final TestPki.Issued scepRa;

  private final HttpServer server;
  private final JsonMapper json = new JsonMapper();

  EstStubPki(TestPki.Issued ca) throws Exception {
    this.ca = ca;
    this.tenantCa = TestPki.ca("EMS Test Tenant CA");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/internal/v1/enrollments", exchange -> issue(exchange, false));
    server.createContext("/internal/v1/renewals", exchange -> issue(exchange, true));
    scepRa = TestPki.scepRa(ca);
    server.createContext(
        "/internal/v1/scep-ra",
        exchange -> {
          try {
            send(
                exchange,
                200,
                json.writeValueAsString(
                    Map.of(
                        "certificatePem",
                        scepRa.pem(),
                        "chainPem",
                        ca.pem(),
                        "privateKeyPem",
                        "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder()
                                .encodeToString(scepRa.keys().getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n",
                        "notAfter",
                        scepRa.certificate().getNotAfter().toInstant().toString())));
          } catch (Exception e) {
            send(exchange, 500, "{}");
          }
        });
    server.createContext(
        "/internal/v1/ca-chain",
        exchange -> {
          try {
            String query = exchange.getRequestURI().getRawQuery();
            lastChainQuery.set(query == null ? "" : query);
            if (query != null && query.startsWith("caId=")) {
              chainByIdQueries.incrementAndGet();
              if (query.equals("caId=" + TENANT_CA_ID)) {
                send(exchange, 200, tenantCa.pem());
              } else {
                send(exchange, 404, "{\"status\":404,\"code\":\"ca-not-found\"}");
              }
              return;
            }
            // a tenant's chain names its tenant's CA (a stand-in here); the anonymous one does not
            send(
                exchange,
                200,
                query != null && query.startsWith("tenant=")
                    ? tenantCa.pem() + ca.pem()
                    : ca.pem());
          } catch (Exception e) {
            send(exchange, 500, "{}");
          }
        });
    server.start();
  }

  /**
   * A stub for {@code ca} that device-api under test calls, with the rate limit of these tests: six
   * enrollments per serial at once, six a minute.
   */
  static EstStubPki serving(TestPki.Issued ca, DynamicPropertyRegistry registry) throws Exception {
    EstStubPki pki = new EstStubPki(ca);
    registry.add("device-api.pki.url", pki::url);
    registry.add("device-api.pki.timeout", () -> "PT2S");
    registry.add("device-api.rate-limit-burst", () -> "6");
    registry.add("device-api.rate-limit-per-minute", () -> "6");
    return pki;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void issue(HttpExchange exchange, boolean renewal) throws IOException {
    if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"status\":401,\"code\":\"unauthenticated\"}");
      return;
    }
    JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
    String refusal = renewalRefusal.get();
    if (renewal) {
      lastRenewedCertificate.set(body.path("certificate").asString());
      if (refusal != null) {
        send(exchange, refusal.startsWith("key") ? 422 : 401, refusal(refusal));
        return;
      }
    }
    try {
      String csrPem = body.get("csr").asString();
      String der =
          csrPem.replaceAll("-----(BEGIN|END) CERTIFICATE REQUEST-----", "").replaceAll("\\s", "");
      var csr = new JcaPKCS10CertificationRequest(Base64.getDecoder().decode(der));
      var certificate =
          TestPki.certify(
              ca,
              csr.getPublicKey(),
              body.get("deviceId").asString(),
              Instant.now().plus(Duration.ofDays(1)));
      issued.incrementAndGet();
      String pem = new TestPki.Issued(null, certificate).pem();
      send(
          exchange,
          200,
          json.writeValueAsString(
              Map.of(
                  "serial",
                  certificate.getSerialNumber().toString(16),
                  "certificatePem",
                  pem,
                  "chainPem",
                  ca.pem(),
                  "notAfter",
                  certificate.getNotAfter().toInstant().toString())));
    } catch (Exception e) {
      send(exchange, 422, "{\"status\":422,\"code\":\"invalid-csr\",\"field\":\"csr\"}");
    }
  }

  private static String refusal(String code) {
    return "{\"status\":"
        + (code.startsWith("key") ? 422 : 401)
        + ",\"code\":\""
        + code
        + "\",\"detail\":\"refused by the PKI: "
        + code
        + "\"}";
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
