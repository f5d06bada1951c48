package dev.ems.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.event.Topics;
import dev.ems.platform.PlatformTestApplication;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail over real HTTP and PostgreSQL: operator writes recorded with their actor, chained
 * per tenant even when written at once, a tampered or deleted row found by the verification, and no
 * body (so no secret) in any record.
 */
@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditIT {

  static final JsonMapper json = new JsonMapper();
  static final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired ApiKeys keys;
  @Autowired JdbcClient jdbc;
  @Autowired AuditTrail trail;
  @Autowired org.springframework.transaction.PlatformTransactionManager transactions;
  org.springframework.transaction.support.TransactionTemplate tx;

  @org.junit.jupiter.api.BeforeEach
  void transactions() {
    tx = new org.springframework.transaction.support.TransactionTemplate(transactions);
  }

  @Test
  void concurrentWritesOfOneTenantFormOneUnbrokenChainWithTheirActors() throws Exception {
    String tenant = "audit-" + UUID.randomUUID();
    String operator = key(tenant, Role.OPERATOR, "ops-alice");
    String admin = key(tenant, Role.ADMIN, "admin-bob");
    List<Callable<HttpResponse<String>>> writes = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String name = "w" + i;
      writes.add(() -> post("/api/v1/widgets", operator, "{\"name\":\"" + name + "\"}", null));
    }
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (Future<HttpResponse<String>> f : pool.invokeAll(writes)) {
        assertThat(f.get().statusCode()).isEqualTo(200);
        assertThat(f.get().headers().firstValue("X-Request-Id")).isPresent();
      }
    }
    // a refused write is recorded too, with its status
    int refusedStatus = post("/api/v1/widgets", operator, "{\"name\":\"\"}", "req-42").statusCode();
    assertThat(refusedStatus).isBetween(400, 499);

    JsonNode page = get("/api/v1/audit?limit=1000", admin);
    JsonNode items = page.get("items");
    assertThat(items).hasSize(25);
    for (int i = 0; i < items.size(); i++) {
      JsonNode r = items.get(i);
      assertThat(r.get("seq").asLong()).isEqualTo(i + 1);
      assertThat(r.get("actorType").asString()).isEqualTo("API_KEY");
      assertThat(r.get("actorName").asString()).isEqualTo("ops-alice");
      assertThat(r.get("action").asString()).isEqualTo("POST /api/v1/widgets");
      assertThat(r.get("requestDigest").asString()).hasSize(64);
    }
    JsonNode ok = items.get(0);
    assertThat(ok.get("status").asInt()).isEqualTo(200);
    assertThat(ok.get("resource").asString()).matches("/api/v1/widgets/[0-9a-f-]{36}");
    assertThat(ok.get("responseDigest").asString()).hasSize(64);
    JsonNode refused = items.get(24);
    assertThat(refused.get("status").asInt()).isEqualTo(refusedStatus);
    assertThat(refused.get("requestId").asString()).isEqualTo("req-42");
    assertThat(verify(admin).get("valid").asBoolean()).isTrue();
    assertThat(verify(admin).get("records").asLong()).isEqualTo(25);

    // filters
    assertThat(get("/api/v1/audit?actor=ops-alice&limit=5", admin).get("items")).hasSize(5);
    assertThat(get("/api/v1/audit?actor=nobody", admin).get("items")).isEmpty();
    assertThat(get("/api/v1/audit?action=POST%20/api/v1/widgets", admin).get("items")).hasSize(25);
    assertThat(get("/api/v1/audit?resource=/api/v1/gadgets", admin).get("items")).isEmpty();
    String future = Instant.now().plusSeconds(3600).toString();
    assertThat(get("/api/v1/audit?from=" + future, admin).get("items")).isEmpty();
    assertThat(get("/api/v1/audit?to=" + future, admin).get("items")).hasSize(25);
    // one tenant never sees another's trail
    String other = key("audit-" + UUID.randomUUID(), Role.ADMIN, "admin-eve");
    assertThat(get("/api/v1/audit", other).get("items")).isEmpty();
    // the trail is for admins
    assertThat(send(HttpRequest.newBuilder(uri("/api/v1/audit")), operator).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aRowEditedInTheDatabaseIsNamedAsTheFirstBrokenLink() throws Exception {
    String tenant = "audit-" + UUID.randomUUID();
    String admin = key(tenant, Role.ADMIN, "admin-carol");
    for (int i = 0; i < 5; i++) {
      assertThat(post("/api/v1/widgets", admin, "{\"name\":\"t" + i + "\"}", null).statusCode())
          .isEqualTo(200);
    }
    assertThat(verify(admin).get("valid").asBoolean()).isTrue();

    jdbc.sql("update audit_record set actor_name = 'mallory' where tenant_id = ? and seq = 3")
        .param(tenant)
        .update();
    JsonNode broken = verify(admin);
    assertThat(broken.get("valid").asBoolean()).isFalse();
    assertThat(broken.get("firstBroken").get("seq").asLong()).isEqualTo(3);
    assertThat(broken.get("firstBroken").get("reason").asString()).contains("changed");

    // re-hashing the edited row does not help: the next record names the old hash
    String rehashed =
        AuditChain.hash(
            jdbc.sql("select * from audit_record where tenant_id = ? and seq = 3")
                .param(tenant)
                .query(AuditLog::row)
                .single());
    jdbc.sql("update audit_record set hash = ? where tenant_id = ? and seq = 3")
        .params(rehashed, tenant)
        .update();
    broken = verify(admin);
    assertThat(broken.get("firstBroken").get("seq").asLong()).isEqualTo(4);
    assertThat(broken.get("firstBroken").get("reason").asString()).contains("previous hash");

    jdbc.sql("delete from audit_record where tenant_id = ? and seq >= 2").param(tenant).update();
    broken = verify(admin);
    assertThat(broken.get("firstBroken").get("seq").asLong()).isEqualTo(2);
    assertThat(broken.get("firstBroken").get("reason").asString()).contains("missing");
  }

  @Test
  void recordsHoldDigestsNeverBodiesAndArePublishedOnTheAuditTopic() throws Exception {
    String tenant = "audit-" + UUID.randomUUID();
    String admin = key(tenant, Role.ADMIN, "admin-dave");
    String secret = "hunter2-" + UUID.randomUUID();
    var response =
        post(
            "/api/v1/widgets",
            admin,
            "{\"name\":\"s\",\"tags\":{\"psk\":{\"secret\":\"" + secret + "\"}}}",
            null);
    assertThat(response.statusCode()).isEqualTo(200);
    String rows =
        jdbc.sql("select row_to_json(a)::text from audit_record a where tenant_id = ?")
            .param(tenant)
            .query(String.class)
            .single();
    assertThat(rows).doesNotContain(secret).doesNotContain(admin);
    assertThat(rows).contains(AuditChain.digest(response.body().getBytes()));
    // chained after its commit by the sequencer, which puts its event in the outbox; the outbox
    // row goes to Kafka and the relay deletes it once sent
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql("select seq is not null from audit_record where tenant_id = ?")
                    .param(tenant)
                    .query(Boolean.class)
                    .single());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql("select count(*) from outbox_event where topic = ?")
                        .param(Topics.audit("ptest"))
                        .query(Long.class)
                        .single()
                    == 0);
  }

  /**
   * A write waits for no other write of its tenant: while one write's transaction is still open
   * (its record inserted, not committed), another write of the same tenant records and commits.
   * Until issue 20's measurement the first held the tenant's chain-head lock until its commit and
   * the second waited for it. Both end chained, in one unbroken chain.
   */
  @Test
  void aWriteDoesNotWaitForAnotherWriteOfItsTenant() throws Exception {
    String tenant = "audit-" + UUID.randomUUID();
    var actor = AuditEntry.Actor.system("test");
    var open = new java.util.concurrent.CountDownLatch(1);
    var release = new java.util.concurrent.CountDownLatch(1);
    try (var pool = Executors.newFixedThreadPool(2)) {
      Future<?> slow =
          pool.submit(
              () ->
                  tx.executeWithoutResult(
                      s -> {
                        trail.record(AuditEntry.of(tenant, actor, "slow", "r/1", null));
                        open.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      assertThat(open.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      Future<?> fast =
          pool.submit(() -> trail.record(AuditEntry.of(tenant, actor, "fast", "r/2", null)));
      // the positive signal: the second write committed while the first is still open
      fast.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(slow.isDone()).isFalse();
      release.countDown();
      slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    String admin = key(tenant, Role.ADMIN, "admin-erin");
    JsonNode items = get("/api/v1/audit?limit=10", admin).get("items");
    assertThat(items).hasSize(2);
    assertThat(
            List.of(items.get(0).get("action").asString(), items.get(1).get("action").asString()))
        .containsExactlyInAnyOrder("slow", "fast");
    assertThat(items.get(1).get("seq").asLong()).isEqualTo(2);
    assertThat(verify(admin).get("valid").asBoolean()).isTrue();
  }

  private String key(String tenant, Role role, String name) {
    String key = ApiKeys.generate();
    keys.upsert(UUID.randomUUID(), tenant, name, ApiKeys.hash(key), role, Instant.now(), null);
    return key;
  }

  private JsonNode verify(String key) throws Exception {
    return get("/api/v1/audit/verify", key);
  }

  private JsonNode get(String path, String key) throws Exception {
    var response = send(HttpRequest.newBuilder(uri(path)), key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private HttpResponse<String> post(String path, String key, String body, String requestId)
      throws Exception {
    var builder =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      builder.header("X-Request-Id", requestId);
    }
    return send(builder, key);
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, String key) throws Exception {
    return http.send(
        builder.header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
