package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.embedded.RawHttp;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.PublicEndpoint;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.simulator.SimulatedDevice;
import java.lang.reflect.RecordComponent;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks every endpoint of every service, taken from the running services' handler mappings (MVC
 * controllers and device-api's functional routes), so a new endpoint is covered without editing
 * this test: authorization in every path spelling for every role below the one required, and
 * hostile input — every answer a 4xx RFC 9457 problem, never a 5xx, HTML or a stack trace.
 */
class EndpointWalkerIT {

  private static final JsonMapper json = new JsonMapper();
  private static final String ADMIN = TestInfrastructure.ADMIN_KEY;
  private static final String ID = "00000000-0000-4000-8000-00000000abcd";
  private static Suite suite;

  /** An endpoint: its service, method, path pattern and, for MVC, its handler method. */
  record Endpoint(String service, String method, String pattern, HandlerMethod handler) {
    String path() {
      return pattern
          .replaceAll("/\\*\\*$", "/x")
          .replaceAll("\\{[^}]*version[^}]*}", "1")
          .replaceAll("\\{[^}]+}", ID);
    }

    @Override
    public String toString() {
      return service + " " + method + " " + pattern;
    }
  }

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void everyOperatorEndpointDeclaresItsAccessRule() {
    List<Endpoint> endpoints = operatorEndpoints();
    assertThat(endpoints).hasSizeGreaterThan(50);
    assertThat(endpoints)
        .filteredOn(e -> required(e) == null && !isPublic(e))
        .as("endpoints without @RequiresRole or @PublicEndpoint (refused to everyone)")
        .isEmpty();
  }

  @Test
  void rolesBelowTheRuleAreRefusedInEveryPathSpelling() throws Exception {
    Map<Role, String> keys = keysOfEveryRole();
    SoftAssertions softly = new SoftAssertions();
    int checked = 0;
    for (Endpoint endpoint : operatorEndpoints()) {
      Role required = required(endpoint);
      if (required == null) {
        continue;
      }
      List<String> callers = new ArrayList<>();
      callers.add(null);
      for (Role role : Role.values()) {
        if (!role.covers(required)) {
          callers.add(keys.get(role));
        }
      }
      for (String spelling : spellings(endpoint.path())) {
        for (String key : callers) {
          var response =
              RawHttp.send(
                  suite.port(endpoint.service()),
                  endpoint.method(),
                  spelling,
                  key == null ? null : "Bearer " + key,
                  "application/json",
                  "{}".getBytes(StandardCharsets.UTF_8));
          checked++;
          softly
              .assertThat(response.statusCode())
              .as("%s as %s via %s", endpoint, roleOf(keys, key), spelling)
              .isBetween(400, 499);
          softly
              .assertThat(response.header("Content-Type"))
              .as("%s via %s", endpoint, spelling)
              .startsWith("application/problem+json");
        }
      }
    }
    softly.assertAll();
    assertThat(checked).isGreaterThan(500);
  }

  @Test
  void hostileInputToEveryEndpointIsAProblemNeverAServerError() throws Exception {
    String certificate = URLEncoder.encode(enrolledDevice(), StandardCharsets.UTF_8);
    SoftAssertions softly = new SoftAssertions();
    List<Endpoint> endpoints = new ArrayList<>(operatorEndpoints());
    endpoints.addAll(deviceEndpoints());
    for (Endpoint endpoint : endpoints) {
      boolean device = endpoint.service().equals("device-api");
      Map<String, String> headers = new LinkedHashMap<>();
      if (device) {
        headers.put("X-SSL-Client-Cert", certificate);
      } else {
        headers.put("Authorization", "Bearer " + ADMIN);
      }
      if (endpoint.pattern().contains("{")) {
        String invalid = endpoint.pattern().replaceAll("\\{[^}]+}", "not-a-uuid%00");
        check(softly, endpoint, endpoint.method(), invalid, headers, null, "invalid path value");
      }
      if (!hasBody(endpoint)) {
        continue;
      }
      for (var hostile : hostileBodies(endpoint).entrySet()) {
        check(
            softly,
            endpoint,
            endpoint.method(),
            endpoint.path(),
            headers,
            hostile.getValue(),
            hostile.getKey());
      }
    }
    softly.assertAll();
  }

  private void check(
      SoftAssertions softly,
      Endpoint endpoint,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      String what)
      throws Exception {
    var response =
        RawHttp.send(
            suite.port(endpoint.service()),
            method,
            path,
            headers,
            body == null ? null : "application/json",
            body);
    softly.assertThat(response.statusCode()).as("%s: %s", endpoint, what).isBetween(400, 499);
    softly
        .assertThat(response.header("Content-Type"))
        .as("%s: %s", endpoint, what)
        .startsWith("application/problem+json");
    if (response.header("Content-Type") != null
        && response.header("Content-Type").startsWith("application/problem+json")) {
      JsonNode problem = json.readTree(response.body());
      softly.assertThat(problem.path("code").asString()).as("%s: %s", endpoint, what).isNotBlank();
      softly.assertThat(response.body()).as("%s: %s", endpoint, what).doesNotContain("Exception");
    }
  }

  private static Map<String, byte[]> hostileBodies(Endpoint endpoint) {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("malformed JSON", "{\"a\":".getBytes(StandardCharsets.UTF_8));
    bodies.put("null", "null".getBytes(StandardCharsets.UTF_8));
    bodies.put("a list", "[]".getBytes(StandardCharsets.UTF_8));
    bodies.put("unknown field", "{\"__unknown__\":1}".getBytes(StandardCharsets.UTF_8));
    bodies.put("NUL in a key", "{\"a\\u0000\":\"b\"}".getBytes(StandardCharsets.UTF_8));
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    bodies.put("10,000-deep nesting", ("{\"a\":" + deep + "}").getBytes(StandardCharsets.UTF_8));
    int limit = endpoint.service().equals("device-api") ? 64 * 1024 : 4 * 1024 * 1024;
    bodies.put(
        "oversized body",
        ("{\"a\":\"" + "x".repeat(limit + 1) + "\"}").getBytes(StandardCharsets.UTF_8));
    Class<?> type = bodyType(endpoint);
    if (type != null && type.isRecord()) {
      for (RecordComponent field : type.getRecordComponents()) {
        Class<?> t = field.getType();
        String name = field.getName();
        if (t == String.class) {
          put(bodies, name, "12345", "number for string");
          put(bodies, name, "[\"a\"]", "list for string");
          put(bodies, name, "\"a\\u0000b\"", "NUL in string");
          put(bodies, name, "\"a\\u0001b\"", "control character in string");
        } else if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
          put(bodies, name, "{}", "object for number");
          put(bodies, name, "1.5", "float for integer");
        } else if (t == boolean.class || t == Boolean.class) {
          put(bodies, name, "12345", "number for boolean");
        } else if (t == UUID.class) {
          put(bodies, name, "\"not-a-uuid\"", "invalid UUID");
        } else {
          put(bodies, name, "\"\\u0000\"", "NUL for " + t.getSimpleName());
        }
      }
    }
    return bodies;
  }

  private static void put(Map<String, byte[]> bodies, String field, String value, String what) {
    bodies.put(
        what + " in '" + field + "'",
        ("{\"" + field + "\":" + value + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static boolean hasBody(Endpoint endpoint) {
    if (endpoint.handler() == null) {
      return !endpoint.method().equals("GET");
    }
    return bodyType(endpoint) != null;
  }

  private static Class<?> bodyType(Endpoint endpoint) {
    if (endpoint.handler() == null) {
      return null;
    }
    for (var parameter : endpoint.handler().getMethodParameters()) {
      if (parameter.hasParameterAnnotation(RequestBody.class)) {
        return parameter.getParameterType();
      }
    }
    return null;
  }

  /** The path as the services' firewall and routing might be tricked into reading it. */
  private static Set<String> spellings(String path) {
    Set<String> spellings = new java.util.LinkedHashSet<>();
    spellings.add(path);
    int last = path.lastIndexOf('/');
    String head = path.substring(0, last);
    String tail = path.substring(last + 1);
    int letter = 0;
    while (letter < tail.length() && !Character.isLetter(tail.charAt(letter))) {
      letter++;
    }
    if (letter < tail.length()) {
      spellings.add(
          head
              + "/"
              + tail.substring(0, letter)
              + String.format("%%%02X", (int) tail.charAt(letter))
              + tail.substring(letter + 1));
    }
    if (path.contains("-")) {
      spellings.add(path.replaceFirst("-", "%2D"));
    }
    spellings.add(path.replaceFirst("^/([^/]+)", "/$1;x"));
    spellings.add(head + ";/" + tail);
    spellings.add(path + ";x=1");
    spellings.add(head + "//" + tail);
    spellings.add(head + "/./" + tail);
    spellings.add(head + "/x/../" + tail);
    spellings.add(path + "/");
    spellings.add(path.toUpperCase(Locale.ROOT));
    return spellings;
  }

  private static List<Endpoint> operatorEndpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Suite.Service service : Suite.SERVICES) {
      if (!service.name().equals("device-api")) {
        for (var m : SuiteEndpoints.of(suite, service.name())) {
          endpoints.add(new Endpoint(m.service(), m.method(), m.pattern(), m.handler()));
        }
      }
    }
    return endpoints;
  }

  /** device-api's functional routes, read with RouterFunctions' visitor. */
  @SuppressWarnings("unchecked")
  private static List<Endpoint> deviceEndpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    var context = suite.context("device-api");
    for (RouterFunction<?> routes : context.getBeansOfType(RouterFunction.class).values()) {
      routes.accept(
          new RouterFunctions.Visitor() {
            @Override
            public void startNested(RequestPredicate predicate) {}

            @Override
            public void endNested(RequestPredicate predicate) {}

            @Override
            public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
              List<String> methods = new ArrayList<>();
              List<String> paths = new ArrayList<>();
              predicate.accept(new RouteReader(methods, paths));
              for (String method : methods) {
                for (String path : paths) {
                  endpoints.add(new Endpoint("device-api", method, path, null));
                }
              }
            }

            @Override
            public void resources(
                java.util.function.Function<
                        ServerRequest,
                        reactor.core.publisher.Mono<org.springframework.core.io.Resource>>
                    lookup) {}

            @Override
            public void attributes(Map<String, Object> attributes) {}

            @Override
            public void unknown(RouterFunction<?> routerFunction) {}
          });
    }
    assertThat(endpoints).as("device-api routes").isNotEmpty();
    return endpoints;
  }

  private static final class RouteReader implements RequestPredicates.Visitor {
    private final List<String> methods;
    private final List<String> paths;

    RouteReader(List<String> methods, List<String> paths) {
      this.methods = methods;
      this.paths = paths;
    }

    @Override
    public void method(Set<org.springframework.http.HttpMethod> httpMethods) {
      httpMethods.forEach(m -> methods.add(m.name()));
    }

    @Override
    public void path(String pattern) {
      paths.add(pattern);
    }

    @Override
    public void pathExtension(String extension) {}

    @Override
    public void header(String name, String value) {}

    @Override
    public void queryParam(String name, String value) {}

    @Override
    public void version(String version) {}

    @Override
    public void startAnd() {}

    @Override
    public void and() {}

    @Override
    public void endAnd() {}

    @Override
    public void startOr() {}

    @Override
    public void or() {}

    @Override
    public void endOr() {}

    @Override
    public void startNegate() {}

    @Override
    public void endNegate() {}

    @Override
    public void unknown(RequestPredicate predicate) {}
  }

  private static Role required(Endpoint endpoint) {
    RequiresRole rule =
        AnnotatedElementUtils.findMergedAnnotation(
            endpoint.handler().getMethod(), RequiresRole.class);
    if (rule == null) {
      rule =
          AnnotatedElementUtils.findMergedAnnotation(
              endpoint.handler().getBeanType(), RequiresRole.class);
    }
    return rule == null ? null : rule.value();
  }

  private static boolean isPublic(Endpoint endpoint) {
    return endpoint.handler().hasMethodAnnotation(PublicEndpoint.class)
        || AnnotatedElementUtils.hasAnnotation(
            endpoint.handler().getBeanType(), PublicEndpoint.class);
  }

  /** A key of every role, in the bootstrap tenant, registered in every service's key store. */
  private static Map<Role, String> keysOfEveryRole() {
    Map<Role, String> keys = new java.util.EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      String key = ApiKeys.generate();
      UUID id = UUID.randomUUID();
      for (Suite.Service service : Suite.SERVICES) {
        if (!service.name().equals("device-api")) {
          suite
              .context(service.name())
              .getBean(ApiKeys.class)
              .upsert(
                  id, "default", "walker-" + role, ApiKeys.hash(key), role, Instant.now(), null);
        }
      }
      keys.put(role, key);
    }
    return keys;
  }

  private static String roleOf(Map<Role, String> keys, String key) {
    return key == null
        ? "anonymous"
        : keys.entrySet().stream()
            .filter(e -> e.getValue().equals(key))
            .map(e -> e.getKey().name())
            .findFirst()
            .orElse("?");
  }

  /** A device of the bootstrap tenant, enrolled through device-api: its certificate (PEM). */
  private static String enrolledDevice() throws Exception {
    String serial = "WALK-" + UUID.randomUUID().toString().substring(0, 8);
    var created =
        RawHttp.send(
            suite.port("sc-service"),
            "POST",
            "/api/v1/devices",
            Map.of("Authorization", "Bearer " + ADMIN),
            "application/json",
            ("{\"serial\":\"" + serial + "\",\"model\":\"ow-x86\",\"name\":\"walker\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String token = json.readTree(created.body()).get("bootstrapToken").asString();
    var device =
        new SimulatedDevice(
            HttpClient.newHttpClient(),
            "http://127.0.0.1:" + suite.port("device-api"),
            serial,
            "X-SSL-Client-Cert");
    int[] last = {0};
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .alias("enrollment of " + serial)
        .conditionEvaluationListener(
            c -> System.out.println("walker enrollment: last status " + last[0]))
        .until(() -> (last[0] = device.enroll(token)) == 200);
    return device.certificatePem();
  }
}
