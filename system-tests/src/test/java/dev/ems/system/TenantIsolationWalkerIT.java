package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.embedded.RawHttp;
import dev.ems.launcher.Suite;
import dev.ems.system.IsolationRequests.Endpoint;
import dev.ems.system.TwoTenants.Kind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Isolation proven per service (issue 13): with two real tenants, tenant B's ADMIN calls every
 * tenant-scoped operator endpoint (from the handler mappings, so a new endpoint is walked without
 * editing this test) on tenant A's resources and gets exactly what it gets for a resource that does
 * not exist — 404, never 403 — lists show B nothing of A's, and A's resources are unchanged.
 */
class TenantIsolationWalkerIT {

  /**
   * Fields that change by themselves, not by an operator's write: a key's last use; a webhook
   * delivery's retries (A's webhook target never answers) and its subscription's failing since.
   */
  private static final Set<String> VOLATILE =
      Set.of(
          "lastUsedAt",
          "attempts",
          "lastAttemptAt",
          "nextAttemptAt",
          "lastError",
          "lastStatusCode",
          "failingSince");

  private static Suite suite;
  private static TwoTenants tenants;

  @BeforeAll
  static void createTwoTenants() throws Exception {
    suite = RunningSuite.get();
    tenants = TwoTenants.create(suite);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sc-service", "tw-service", "diagnostic-service", "pki-service"})
  void anotherTenantsAdminNeitherSeesNorChangesTheTenantsResources(String service)
      throws Exception {
    List<Endpoint> endpoints = IsolationRequests.operatorEndpoints(suite, service);
    assertThat(endpoints).as("tenant-scoped endpoints of %s", service).isNotEmpty();
    Map<String, String> before = snapshotOfA(endpoints);
    SoftAssertions softly = new SoftAssertions();
    int lists = listsShowNothingOfA(softly, endpoints);
    int paths = pathsNamingAsResourcesAreUnknown(softly, endpoints);
    // a write that got through would reach the other services over Kafka within seconds
    Thread.sleep(Duration.ofSeconds(3));
    Map<String, String> after = snapshotOfA(endpoints);
    System.out.printf(
        "isolation walk of %s: %d endpoints, %d list requests, %d requests naming A's"
            + " resources, %d reads of A's compared%n",
        service, endpoints.size(), lists, paths, before.size());
    before.forEach(
        (read, body) ->
            softly.assertThat(after.get(read)).as("A's %s after B's walk", read).isEqualTo(body));
    softly.assertAll();
    assertThat(lists + paths).as("requests B made to %s", service).isGreaterThan(3);
  }

  /** Bodies can name resources too: B's creations naming A's get the answer unknown ones get. */
  @Test
  void writesWhoseBodyNamesAnotherTenantsResourceAreAnsweredAsForAnUnknownOne() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    Map<Kind, String> a = tenants.a;
    String device = "{\"serial\":\"B-{R}\",\"model\":\"ow-x86\",\"name\":\"b\",\"siteId\":\"{A}\"}";
    String rollout =
        "{\"featureKey\":\"ntp-dns\",\"action\":\"DISABLE\",\"selector\":{S},\"waveSize\":1}";
    Map<String, List<String>> writes = new LinkedHashMap<>();
    writes.put("sc-service POST /api/v1/devices (siteId)", List.of(device, Kind.SITE.name()));
    writes.put(
        "tw-service POST /api/v1/rollouts (selector.deviceIds)",
        List.of(rollout.replace("{S}", "{\"deviceIds\":[\"{A}\"]}"), Kind.DEVICE.name()));
    writes.put(
        "tw-service POST /api/v1/rollouts (selector.siteId)",
        List.of(rollout.replace("{S}", "{\"siteId\":\"{A}\"}"), Kind.SITE.name()));
    // not here: end-entity names are unique within a tenant, so B naming an entity as A did
    // makes B's own (pki DeviceEndEntityIT: it is answered as any unused name)
    for (var write : writes.entrySet()) {
      String[] target = write.getKey().split(" ");
      Kind kind = Kind.valueOf(write.getValue().get(1));
      String template = write.getValue().get(0);
      String mine = a.get(kind);
      String unknown = kind.unknown();
      var answer =
          tenants.call(
              target[0],
              "POST",
              target[2],
              tenants.keyB,
              template.replace("{A}", mine).replace("{R}", UUID.randomUUID().toString()));
      var control =
          tenants.call(
              target[0],
              "POST",
              target[2],
              tenants.keyB,
              template.replace("{A}", unknown).replace("{R}", UUID.randomUUID().toString()));
      String what = write.getKey() + " naming A's " + kind;
      softly
          .assertThat(answer.statusCode())
          .as(
              "%s: status (body %s), as for an unknown one (%s)",
              what, answer.body(), control.body())
          .isEqualTo(control.statusCode());
      softly
          .assertThat(code(answer))
          .as("%s: problem code, as for an unknown one", what)
          .isEqualTo(code(control));
      softly
          .assertThat(leaks(answer.body(), Set.of(mine)))
          .as("%s: A's data in the answer %s", what, answer.body())
          .isEmpty();
    }
    softly.assertAll();
  }

  private int pathsNamingAsResourcesAreUnknown(SoftAssertions softly, List<Endpoint> endpoints)
      throws Exception {
    int calls = 0;
    for (Endpoint e : endpoints) {
      if (!e.hasVariables()) {
        continue;
      }
      Map<String, Kind> kinds = IsolationRequests.variables(e.pattern());
      if (kinds.containsValue(null)) {
        softly.fail(
            "%s: cannot name a resource of A's for %s; extend IsolationRequests.COLLECTIONS",
            e, kinds);
        continue;
      }
      Map<Kind, String> unknown = new EnumMap<>(Kind.class);
      kinds.values().forEach(k -> unknown.put(k, k.unknown()));
      String path = IsolationRequests.fill(e.pattern(), tenants.a::get);
      String controlPath = IsolationRequests.fill(e.pattern(), unknown::get);
      Set<String> named = Set.copyOf(kinds.values().stream().map(tenants.a::get).toList());
      for (String body : IsolationRequests.bodies(e, tenants.run)) {
        String what = e + " as B on " + path + (body == null ? "" : " with " + abbreviated(body));
        var answer = tenants.call(e.service(), e.method(), path, tenants.keyB, body);
        var control = tenants.call(e.service(), e.method(), controlPath, tenants.keyB, body);
        calls++;
        softly
            .assertThat(leaks(answer.body(), named))
            .as("%s: A's data in the answer %s", what, answer.body())
            .isEmpty();
        if (e.upsert()) {
          upsertMakesBsOwn(softly, e, what, path, controlPath, answer, control);
          continue;
        }
        softly.assertThat(answer.statusCode()).as("%s: %s", what, answer.body()).isEqualTo(404);
        softly
            .assertThat(answer.header("Content-Type"))
            .as("%s: content type", what)
            .startsWith("application/problem+json");
        softly
            .assertThat(code(answer))
            .as("%s: problem code, as for an unknown resource (%s)", what, control.body())
            .isEqualTo(code(control));
        softly
            .assertThat(detail(answer, tenants.a, kinds))
            .as("%s: problem detail, as for an unknown resource", what)
            .isEqualTo(detail(control, unknown, kinds));
      }
    }
    return calls;
  }

  /** B's PUT of A's name creates B's own, exactly as for a name nobody uses; then B removes it. */
  private void upsertMakesBsOwn(
      SoftAssertions softly,
      Endpoint e,
      String what,
      String path,
      String controlPath,
      RawHttp.Response answer,
      RawHttp.Response control)
      throws Exception {
    softly
        .assertThat(answer.statusCode())
        .as("%s: status as for an unused name (%s): %s", what, control.body(), answer.body())
        .isEqualTo(control.statusCode());
    if (answer.statusCode() / 100 == 2 && control.statusCode() / 100 == 2) {
      softly
          .assertThat(json(answer).path("version").asString())
          .as("%s: version as for an unused name", what)
          .isEqualTo(json(control).path("version").asString());
    }
    for (String created : List.of(path, controlPath)) {
      var removed = tenants.call(e.service(), "DELETE", created, tenants.keyB, null);
      softly.assertThat(removed.statusCode()).as("B removes its own %s", created).isEqualTo(204);
    }
  }

  private int listsShowNothingOfA(SoftAssertions softly, List<Endpoint> endpoints)
      throws Exception {
    int calls = 0;
    for (Endpoint e : endpoints) {
      if (e.hasVariables() || !e.method().equals("GET")) {
        continue;
      }
      for (var query : IsolationRequests.listQueries(e, tenants.a)) {
        var answer = tenants.call(e.service(), "GET", query.path(), tenants.keyB, null);
        calls++;
        String what = e + " as B: " + query.path();
        softly.assertThat(answer.statusCode()).as("%s: %s", what, answer.body()).isIn(200, 404);
        Set<String> echoed = query.filter() == null ? Set.of() : Set.of(query.filter());
        softly
            .assertThat(leaks(answer.body(), echoed))
            .as("%s: A's data in the answer %s", what, answer.body())
            .isEmpty();
      }
    }
    return calls;
  }

  /** Every read of A's resources in this service, as A sees it. */
  private Map<String, String> snapshotOfA(List<Endpoint> endpoints) throws Exception {
    Map<String, String> reads = new LinkedHashMap<>();
    for (Endpoint e : endpoints) {
      if (!e.method().equals("GET")) {
        continue;
      }
      List<String> paths;
      if (!e.hasVariables()) {
        paths =
            IsolationRequests.listQueries(e, tenants.a).stream()
                .map(IsolationRequests.ListQuery::path)
                .toList();
      } else if (IsolationRequests.variables(e.pattern()).containsValue(null)) {
        continue;
      } else {
        paths = List.of(IsolationRequests.fill(e.pattern(), tenants.a::get));
      }
      for (String path : paths) {
        var read = tenants.call(e.service(), "GET", path, tenants.keyA, null);
        reads.put("GET " + path, read.statusCode() + " " + stable(read));
      }
    }
    return reads;
  }

  private static String stable(RawHttp.Response response) {
    try {
      JsonNode node = TwoTenants.JSON.readTree(response.body());
      strip(node);
      return node.toString();
    } catch (RuntimeException notJson) {
      return response.body();
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      VOLATILE.forEach(object::remove);
    }
    node.forEach(TenantIsolationWalkerIT::strip);
  }

  /** A's strings in {@code body}, except those B itself put in the request. */
  private static List<String> leaks(String body, Set<String> echoed) {
    String text = body.toLowerCase(Locale.ROOT);
    return tenants.secretsOfA.stream()
        .filter(s -> !echoed.contains(s))
        .filter(s -> text.contains(s.toLowerCase(Locale.ROOT)))
        .toList();
  }

  private static String code(RawHttp.Response response) {
    return json(response).path("code").asString();
  }

  /** The problem's detail with the path's values replaced by their kinds. */
  private static String detail(
      RawHttp.Response response, Map<Kind, String> values, Map<String, Kind> kinds) {
    String detail = json(response).path("detail").asString();
    for (Kind kind : kinds.values()) {
      if (kind != Kind.VERSION) {
        detail = detail.replace(values.get(kind), "<" + kind + ">");
      }
    }
    return detail;
  }

  private static JsonNode json(RawHttp.Response response) {
    try {
      return TwoTenants.JSON.readTree(response.body());
    } catch (RuntimeException notJson) {
      return TwoTenants.JSON.createObjectNode();
    }
  }

  private static String abbreviated(String body) {
    return body.length() > 80 ? body.substring(0, 80) + "..." : body;
  }
}
