package dev.ems.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.ems.platform.PlatformTestApplication;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operators signing in with an identity provider's access tokens: a key pair this test owns, its
 * JWKS and discovery document served by a real HTTP server, tokens minted here. Valid tokens map
 * claims to tenant and role; expired, wrong-issuer, wrong-audience, unsigned, foreign-key and
 * role-less tokens are refused; API keys keep working beside them.
 */
@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcIT {

  static final JsonMapper json = new JsonMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static final RSAKey KEY = generate();
  static final RSAKey FOREIGN = generate();
  static final HttpServer IDP = idp();
  static final String ISSUER = "http://127.0.0.1:" + IDP.getAddress().getPort() + "/realms/ems";
  static final String AUDIENCE = "ems-api";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void oidc(DynamicPropertyRegistry registry) {
    registry.add("ems.oidc.issuer-uri", () -> ISSUER);
    registry.add("ems.oidc.audience", () -> AUDIENCE);
  }

  @AfterAll
  static void stop() {
    IDP.stop(0);
  }

  @Test
  void aValidTokenNamesTenantRoleAndPersonAndIsAudited() throws Exception {
    String tenant = "oidc-" + UUID.randomUUID();
    String token = sign(KEY, claims(tenant, List.of("offline_access", "ems-admin")).build());
    assertThat(get("/api/v1/widget-secrets", token).statusCode()).isEqualTo(200);
    var created = post("/api/v1/widgets", token, "{\"name\":\"by-oidc\"}");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(json.readTree(created.body()).get("tenant").asString()).isEqualTo(tenant);

    JsonNode record = json.readTree(get("/api/v1/audit", token).body()).get("items").get(0);
    assertThat(record.get("actorType").asString()).isEqualTo("OIDC");
    assertThat(record.get("actorId").asString()).isEqualTo("user-123");
    assertThat(record.get("actorName").asString()).isEqualTo("alice@example.com");
  }

  @Test
  void theRoleDecidesWhatATokenMayDo() throws Exception {
    String viewer = sign(KEY, claims("default", List.of("ems-viewer")).build());
    assertThat(get("/api/v1/widgets", viewer).statusCode()).isEqualTo(200);
    assertThat(post("/api/v1/widgets", viewer, "{\"name\":\"x\"}").statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/widget-secrets", viewer).statusCode()).isEqualTo(403);
  }

  @Test
  void badTokensAreRefused() throws Exception {
    Instant now = Instant.now();
    Map<String, String> refused =
        Map.of(
            "expired",
            sign(
                KEY,
                claims("default", List.of("ems-admin"))
                    .issueTime(Date.from(now.minusSeconds(1200)))
                    .expirationTime(Date.from(now.minusSeconds(600)))
                    .build()),
            "wrong issuer",
            sign(KEY, claims("default", List.of("ems-admin")).issuer(ISSUER + "-evil").build()),
            "wrong audience",
            sign(KEY, claims("default", List.of("ems-admin")).audience("account").build()),
            "unsigned",
            new PlainJWT(claims("default", List.of("ems-admin")).build()).serialize(),
            "another key",
            sign(FOREIGN, claims("default", List.of("ems-admin")).build()),
            "no EMS role",
            sign(KEY, claims("default", List.of("offline_access")).build()),
            "no tenant",
            sign(KEY, claims(null, List.of("ems-admin")).build()));
    for (var entry : refused.entrySet()) {
      var response = get("/api/v1/widgets", entry.getValue());
      assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(401);
      assertThat(response.body()).as(entry.getKey()).contains("unauthenticated");
    }
  }

  @Test
  void apiKeysStillWorkBesideTokens() throws Exception {
    assertThat(get("/api/v1/widget-secrets", OperatorAccessIT.BOOTSTRAP).statusCode())
        .isEqualTo(200);
  }

  private static JWTClaimsSet.Builder claims(String tenant, List<String> roles) {
    Instant now = Instant.now();
    var builder =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("user-123")
            .audience(List.of(AUDIENCE, "account"))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .claim("preferred_username", "alice@example.com")
            .claim("realm_access", Map.of("roles", roles));
    return tenant == null ? builder : builder.claim("ems_tenant", tenant);
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The identity provider: its discovery document and its JWKS (the public key only). */
  private static HttpServer idp() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/ems";
      serve(
          server,
          "/realms/ems/.well-known/openid-configuration",
          json.writeValueAsString(
              Map.of("issuer", base, "jwks_uri", base + "/protocol/openid-connect/certs")));
      serve(
          server,
          "/realms/ems/protocol/openid-connect/certs",
          new JWKSet(KEY.toPublicJWK()).toString());
      server.start();
      return server;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void serve(HttpServer server, String path, String body) {
    server.createContext(
        path,
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
