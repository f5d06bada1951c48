package dev.ems.system;

import dev.ems.launcher.Suite;
import dev.ems.platform.security.PublicEndpoint;
import dev.ems.platform.security.RequiresRole;
import dev.ems.system.TwoTenants.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.method.HandlerMethod;

/**
 * What the isolation walker sends: every operator endpoint of a service (from its handler
 * mappings), the kind of resource each path variable names, plausible bodies and list queries.
 * Extend the tables here when an endpoint names a new kind of resource.
 */
final class IsolationRequests {

  /** Path variable kinds, by the path segment before the variable. */
  private static final Map<String, Kind> COLLECTIONS =
      Map.ofEntries(
          Map.entry("devices", Kind.DEVICE),
          Map.entry("sites", Kind.SITE),
          Map.entry("config-requests", Kind.CONFIG_REQUEST),
          Map.entry("configs", Kind.VERSION),
          Map.entry("diff", Kind.VERSION),
          Map.entry("templates", Kind.TEMPLATE_MODEL),
          Map.entry("features", Kind.FEATURE),
          Map.entry("rollouts", Kind.ROLLOUT),
          Map.entry("checks", Kind.CHECK),
          Map.entry("alerts", Kind.ALERT),
          Map.entry("end-entities", Kind.END_ENTITY),
          Map.entry("certificates", Kind.CERTIFICATE),
          Map.entry("api-keys", Kind.API_KEY),
          Map.entry("change-sets", Kind.CHANGE_SET),
          Map.entry("webhooks", Kind.WEBHOOK),
          Map.entry("deliveries", Kind.WEBHOOK_DELIVERY));

  /**
   * Not tenant resources: system administration (refused below the system tenant by design:
   * tenants, dead letters, which mix tenants) and the CAs, which every tenant shares.
   */
  private static final List<String> NOT_TENANT_RESOURCES =
      List.of(
          "/api/v1/tenants", "/api/v1/cas", "/api/v1/templates/_builtin", "/api/v1/dead-letters");

  /** PUTs that create in the caller's own namespace: B gets its own, as for any unused name. */
  static final Set<String> UPSERTS =
      Set.of("PUT /api/v1/templates/{model}", "PUT /api/v1/features/{key}");

  /** Required query parameters: every value is asked. */
  private static final Map<String, List<String>> REQUIRED =
      Map.of("health", List.of("OK", "WARNING", "CRITICAL", "UNKNOWN"));

  /** Parameters that widen a list to everything the caller may see. */
  private static final Map<String, String> WIDEST =
      Map.of("/api/v1/alerts", "status=ALL", "/api/v1/end-entities", "includeDeleted=true");

  /** Filters naming a resource: each is asked with A's. */
  private static final Map<String, Kind> FILTERS =
      Map.of(
          "siteId", Kind.SITE,
          "deviceId", Kind.DEVICE,
          "serial", Kind.CERTIFICATE,
          "entity", Kind.END_ENTITY);

  private IsolationRequests() {}

  record Endpoint(String service, String method, String pattern, HandlerMethod handler) {

    boolean hasBody() {
      return Arrays.stream(handler.getMethodParameters())
          .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
    }

    boolean hasVariables() {
      return pattern.contains("{");
    }

    boolean upsert() {
      return UPSERTS.contains(method + " " + pattern);
    }

    @Override
    public String toString() {
      return service + " " + method + " " + pattern;
    }
  }

  /** A list request: its path and query, and the value of A's its filter names (or null). */
  record ListQuery(String path, String filter) {}

  /** The tenant-scoped operator endpoints of {@code service}, reads first, creating PUTs last. */
  static List<Endpoint> operatorEndpoints(Suite suite, String service) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (var m : SuiteEndpoints.of(suite, service)) {
      Endpoint e = new Endpoint(m.service(), m.method(), m.pattern(), m.handler());
      if (tenantScoped(e)) {
        endpoints.add(e);
      }
    }
    List<String> order = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    endpoints.sort(
        Comparator.comparing(Endpoint::upsert)
            .thenComparing(e -> order.indexOf(e.method()))
            .thenComparing(Endpoint::pattern));
    return endpoints;
  }

  private static boolean tenantScoped(Endpoint e) {
    if (!e.pattern().startsWith("/api/v1/")
        || NOT_TENANT_RESOURCES.stream().anyMatch(e.pattern()::startsWith)) {
      return false;
    }
    if (e.handler().hasMethodAnnotation(PublicEndpoint.class)
        || AnnotatedElementUtils.hasAnnotation(e.handler().getBeanType(), PublicEndpoint.class)) {
      return false;
    }
    RequiresRole rule =
        AnnotatedElementUtils.findMergedAnnotation(e.handler().getMethod(), RequiresRole.class);
    if (rule == null) {
      rule =
          AnnotatedElementUtils.findMergedAnnotation(e.handler().getBeanType(), RequiresRole.class);
    }
    return rule == null || !rule.systemTenant();
  }

  /**
   * The kind of every path variable, in order; a variable this table cannot name maps to null (the
   * walker fails on it, so that the table is extended).
   */
  static Map<String, Kind> variables(String pattern) {
    Map<String, Kind> kinds = new LinkedHashMap<>();
    String[] segments = pattern.split("/");
    for (int i = 1; i < segments.length; i++) {
      if (segments[i].startsWith("{")) {
        Kind kind = COLLECTIONS.get(segments[i - 1]);
        if (kind == Kind.FEATURE && pattern.startsWith("/api/v1/devices/")) {
          kind = Kind.DEVICE_FEATURE; // a feature enabled on A's device
        }
        kinds.put(segments[i], kind);
      }
    }
    return kinds;
  }

  static String fill(String pattern, Function<Kind, String> values) {
    String path = pattern;
    for (var variable : variables(pattern).entrySet()) {
      path = path.replace(variable.getKey(), values.apply(variable.getValue()));
    }
    return path;
  }

  /** Plausible valid bodies, so that validation does not answer before the lookup. */
  static List<String> bodies(Endpoint e, String run) {
    if (!e.hasBody()) {
      return java.util.Collections.singletonList(null);
    }
    String tag = run + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    return switch (e.method() + " " + e.pattern()) {
      case "PUT /api/v1/devices/{id}" ->
          List.of("{\"model\":\"ow-x86\",\"name\":\"b-was-here\",\"tags\":[],\"variables\":{}}");
      case "POST /api/v1/devices/{id}/replace" -> List.of("{\"serial\":\"B-RMA-" + tag + "\"}");
      case "POST /api/v1/devices/{deviceId}/config-requests" ->
          List.of("{\"variables\":{}}", "{\"variables\":{},\"dryRun\":true}");
      case "PUT /api/v1/sites/{id}" -> List.of("{\"name\":\"b-was-here\",\"variables\":{}}");
      case "PUT /api/v1/templates/{model}" ->
          List.of("{\"files\":{\"/etc/config/b\":\"config b 'b'\\n\"}}");
      case "PUT /api/v1/features/{key}" ->
          List.of("{\"description\":\"b\",\"parametersSchema\":{\"type\":\"object\"}}");
      case "PUT /api/v1/devices/{deviceId}/features/{key}" ->
          List.of("{\"params\":{\"ntp_servers\":[\"ntp.b.example\"],\"timezone\":\"UTC\"}}");
      case "POST /api/v1/devices/{deviceId}/checks" ->
          List.of("{\"type\":\"REACHABILITY\",\"parameters\":{}}");
      case "POST /api/v1/end-entities/{name}/certificates" ->
          List.of("{\"csr\":" + TwoTenants.JSON.writeValueAsString(Csrs.p256("CN=b")) + "}");
      case "POST /api/v1/end-entities/{name}/keystores" ->
          List.of("{\"password\":\"b-was-here-123\",\"keyAlgorithm\":\"EC_P256\"}");
      case "POST /api/v1/certificates/{serial}/revoke" -> List.of("{\"reason\":\"keyCompromise\"}");
      case "POST /api/v1/mgmt-headend/bundles" ->
          List.of("{\"pool\":\"10.255.64.0/24\",\"innerAddress\":\"10.255.0.1\"}");
      case "PUT /api/v1/mgmt-headend/sas" -> List.of("{\"listSas\":\"list-sas reply {}\\n\"}");
      case "PUT /api/v1/sites/{id}/maintenance-window" ->
          List.of(
              "{\"days\":[\"MONDAY\"],\"start\":\"01:00\",\"durationMinutes\":30,"
                  + "\"timeZone\":\"UTC\"}");
      case "PUT /api/v1/change-sets/{id}" ->
          List.of(
              "{\"apply\":\"NOW\",\"operations\":[{\"type\":\"TEMPLATE_SET\",\"model\":"
                  + "\"b-model\",\"files\":{\"/etc/config/b\":\"config b 'b'\\n\"}}]}");
      case "POST /api/v1/webhooks" ->
          List.of(
              "{\"url\":\"https://203.0.113.10/b-hook\",\"eventTypes\":[\"dev.ems.DeviceCreated\"]}");
      case "PUT /api/v1/webhooks/{id}" ->
          List.of(
              "{\"url\":\"https://203.0.113.10/b-hook\",\"eventTypes\":"
                  + "[\"dev.ems.HealthChanged\"],\"enabled\":true}");
      default -> List.of("{}");
    };
  }

  /**
   * A list endpoint's requests: every value of its required parameters, widened where it can be,
   * and once more with each filter that names a resource set to A's.
   */
  static List<ListQuery> listQueries(Endpoint e, Map<Kind, String> a) {
    List<String> bases = new ArrayList<>(List.of(WIDEST.getOrDefault(e.pattern(), "")));
    List<String> filters = new ArrayList<>();
    for (var parameter : e.handler().getMethodParameters()) {
      RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
      if (param == null) {
        continue;
      }
      parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
      String name = param.name().isEmpty() ? parameter.getParameterName() : param.name();
      if (param.required() && param.defaultValue().equals(ValueConstants.DEFAULT_NONE)) {
        List<String> values = REQUIRED.get(name);
        if (values == null) {
          throw new AssertionError(
              e + ": required query parameter '" + name + "' has no value in REQUIRED");
        }
        List<String> next = new ArrayList<>();
        for (String base : bases) {
          for (String value : values) {
            next.add(join(base, name + "=" + value));
          }
        }
        bases = next;
      } else if (FILTERS.containsKey(name)) {
        filters.add(name);
      }
    }
    List<ListQuery> queries = new ArrayList<>();
    for (String base : bases) {
      queries.add(new ListQuery(path(e.pattern(), base), null));
      for (String filter : filters) {
        String value = a.get(FILTERS.get(filter));
        queries.add(new ListQuery(path(e.pattern(), join(base, filter + "=" + value)), value));
      }
    }
    return queries;
  }

  private static String join(String query, String parameter) {
    return query.isEmpty() ? parameter : query + "&" + parameter;
  }

  private static String path(String pattern, String query) {
    return query.isEmpty() ? pattern : pattern + "?" + query;
  }
}
