package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14's closed loop on the real suite with simulated devices that verify every bundle's
 * signature before they apply it, report the exact version and heartbeat the bundle they run and
 * the management tunnel it gives them: an operator enables {@code qos} on a tag through a rollout →
 * each device receives a signed version carrying the SQM configuration, applies it, reports it →
 * the rollout completes; a second rollout points the management tunnel at a headend the devices
 * cannot reach → their tunnel drops, diagnostics turns them CRITICAL, tw-service rolls them back →
 * they run the previous bundle again with the tunnel up and the rollout is paused naming them.
 */
class ClosedLoopSuiteIT {

  private static final String ADMIN = RunningSuite.ADMIN;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper json = new JsonMapper();
  private static final Pattern REMOTE_ADDRS = Pattern.compile("remote_addrs = (\\S+)");
  private static final int DEVICES = 3;
  private static Suite suite;
  private static final AtomicBoolean running = new AtomicBoolean(true);
  private static final List<Thread> loops = new ArrayList<>();

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @AfterAll
  static void stopDevices() throws InterruptedException {
    running.set(false);
    for (Thread loop : loops) {
      loop.join(Duration.ofSeconds(10));
    }
  }

  @Test
  void aFeatureRolloutReachesSignedDevicesAndAHealthRegressionRollsBack() throws Exception {
    String tag = "loop-" + UUID.randomUUID().toString().substring(0, 8);
    List<SimulatedDevice> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      devices.add(provision(tag, i));
    }
    // the headend the devices reach is the one the built-in set renders for them
    String headend = headendOf(devices.getFirst());
    for (SimulatedDevice device : devices) {
      runDevice(device, headend);
    }
    for (SimulatedDevice device : devices) {
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "OK".equals(health(device).path("health").asString()));
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get("tw-service", featuresOf(device)).statusCode() == 200);
    }

    // qos needs wan: enabled first, no watch window
    JsonNode wan =
        rollout(
            "{\"featureKey\":\"wan\",\"action\":\"ENABLE\",\"params\":{\"wan_proto\":\"dhcp\"},"
                + "\"selector\":{\"tags\":[\""
                + tag
                + "\"]},\"waveSize\":"
                + DEVICES
                + ",\"watchWindowSeconds\":0}");
    awaitStatus(wan, "COMPLETED", Duration.ofSeconds(90));

    // the operator's rollout: qos on the tag, two waves, each watched for 2 s
    Instant qosStart = Instant.now();
    JsonNode qos =
        rollout(
            "{\"featureKey\":\"qos\",\"action\":\"ENABLE\",\"params\":{\"qos_download_kbps\":48123,"
                + "\"qos_upload_kbps\":9000},\"selector\":{\"tags\":[\""
                + tag
                + "\"]},\"waveSize\":2,\"watchWindowSeconds\":2}");
    JsonNode done = awaitStatus(qos, "COMPLETED", Duration.ofSeconds(120));
    Duration qosTook = Duration.between(qosStart, Instant.now());
    assertThat(done.at("/counts/APPLIED").asInt()).isEqualTo(DEVICES);
    Map<String, String> shaBefore = new HashMap<>();
    for (SimulatedDevice device : devices) {
      // the signature verified (else the device would have reported FAILED and run the old one)
      assertThat(device.lastRefusal()).isNull();
      assertThat(file(device.running().bundle(), "/etc/config/sqm"))
          .contains("config queue 'wan'")
          .contains("option download '48123'")
          .contains("option upload '9000'");
      // what the device runs is SC's current version of it, signed
      JsonNode latest = latestVersion(device);
      assertThat(device.runningSha()).isEqualTo(latest.get("sha256").asString());
      shaBefore.put(device.deviceId(), device.runningSha());
    }

    // a change that breaks the management tunnel of the first device
    SimulatedDevice victim = devices.getFirst();
    JsonNode broken =
        rollout(
            "{\"featureKey\":\"mgmt-ipsec\",\"action\":\"ENABLE\",\"params\":{\"mgmt_headend\":"
                + "\"unreachable.headend.example\"},\"selector\":{\"deviceIds\":[\""
                + victim.deviceId()
                + "\"]},\"waveSize\":1,\"watchWindowSeconds\":120}");
    // the device applied the broken bundle (its tunnel went down) ...
    awaitExplained(
        Duration.ofSeconds(90),
        () -> "DOWN".equals(victim.managementTunnel(headend)),
        () -> situation(broken, victim));
    // ... and is rolled back: paused, ROLLED_BACK with diagnostics' reasons
    JsonNode paused = awaitStatus(broken, "PAUSED", Duration.ofSeconds(90));
    awaitExplained(
        Duration.ofSeconds(60),
        () -> "ROLLED_BACK".equals(deviceState(broken, victim).path("status").asString()),
        () -> situation(broken, victim));
    paused = view(broken);
    JsonNode state = deviceState(broken, victim);
    assertThat(paused.get("pauseReason").asString()).contains(victim.deviceId());
    assertThat(paused.get("rolledBack").toString()).contains(victim.deviceId());
    assertThat(state.get("healthReasons").toString()).containsIgnoringCase("tunnel");
    Duration rollback =
        Duration.between(
            Instant.parse(state.get("healthDroppedAt").asString()),
            Instant.parse(state.get("rolledBackAt").asString()));
    // the device runs the bundle it ran before, its tunnel is up and diagnostics sees it healthy
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .until(() -> shaBefore.get(victim.deviceId()).equals(victim.runningSha()));
    assertThat(victim.managementTunnel(headend)).isEqualTo("ESTABLISHED");
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "OK".equals(health(victim).path("health").asString()));
    // the other devices were never touched
    for (SimulatedDevice other : devices.subList(1, DEVICES)) {
      assertThat(other.runningSha()).isEqualTo(shaBefore.get(other.deviceId()));
    }
    System.out.printf(
        "closed loop: qos rollout over %d devices (2 waves, 2 s watch) completed in %d ms;"
            + " rollback (health drop -> previous version applied) %d ms%n",
        DEVICES, qosTook.toMillis(), rollback.toMillis());
  }

  /**
   * Awaits a condition; on timeout the failure carries {@code situation}: the rollout's view, SC's
   * versions of the device and what the device fetched and runs, so that a timeout in CI says which
   * hop of the loop stalled.
   */
  private static void awaitExplained(
      Duration within,
      java.util.concurrent.Callable<Boolean> condition,
      java.util.concurrent.Callable<String> situation)
      throws Exception {
    try {
      await()
          .ignoreExceptions()
          .atMost(within)
          .pollInterval(Duration.ofMillis(300))
          .until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException timeout) {
      throw new AssertionError(timeout.getMessage() + "\n" + situation.call(), timeout);
    }
  }

  private static String situation(JsonNode rollout, SimulatedDevice device) throws Exception {
    var versions = get("sc-service", "/api/v1/devices/" + device.deviceId() + "/configs");
    var requests = get("sc-service", "/api/v1/devices/" + device.deviceId() + "/config-requests");
    var features = get("tw-service", featuresOf(device));
    return "rollout: "
        + view(rollout)
        + "\nSC versions: "
        + versions.statusCode()
        + " "
        + versions.body()
        + "\nSC requests: "
        + requests.statusCode()
        + " "
        + requests.body()
        + "\ntw features: "
        + features.body()
        + "\ndevice fetched: "
        + (device.config() == null ? null : device.config().version())
        + " runs: "
        + (device.running() == null ? null : device.running().version())
        + " last refusal: "
        + device.lastRefusal();
  }

  /** Creates, configures and enrolls one device; it runs version 1 when this returns. */
  private static SimulatedDevice provision(String tag, int i) throws Exception {
    String serial = "LOOP-" + i + "-" + UUID.randomUUID();
    var created =
        send(
            "POST",
            "sc-service",
            "/api/v1/devices",
            "{\"serial\":\""
                + serial
                + "\",\"model\":\"ow-x86\",\"name\":\"loop-"
                + i
                + "\",\"tags\":[\""
                + tag
                + "\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = json.readTree(created.body());
    String deviceId = body.get("id").asString();
    assertThat(
            send(
                    "POST",
                    "sc-service",
                    "/api/v1/devices/" + deviceId + "/config-requests",
                    "{\"variables\":{}}")
                .statusCode())
        .isEqualTo(202);
    var device =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), serial, "X-SSL-Client-Cert");
    String token = body.get("bootstrapToken").asString();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> device.enroll(token) == 200);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> device.fetchConfig() == 200 && device.apply(null) == 202 && signed(device));
    return device;
  }

  private static boolean signed(SimulatedDevice device) {
    return device.lastRefusal() == null && device.running() != null;
  }

  /**
   * The device's own loop, as its agent runs: poll, verify and apply, heartbeat, once a second —
   * within device-api's rate limit (120 a minute, a burst of 60), as a real agent is: faster, its
   * requests are refused 429 once the burst is spent (an apply report refused then is sent again
   * before the next poll).
   */
  private static void runDevice(SimulatedDevice device, String headend) {
    loops.add(
        Thread.ofVirtual()
            .start(
                () -> {
                  long uptime = 60;
                  while (running.get()) {
                    try {
                      if (device.fetchConfig() == 200) {
                        device.apply(null);
                      }
                      device.heartbeat(uptime++, device.managementTunnel(headend));
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception e) {
                      // the suite is busy or restarting: the agent tries again on its next turn
                    }
                  }
                }));
  }

  private static String headendOf(SimulatedDevice device) {
    Matcher m =
        REMOTE_ADDRS.matcher(file(device.running().bundle(), "/etc/swanctl/conf.d/ems-mgmt.conf"));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String file(JsonNode bundle, String path) {
    for (JsonNode f : bundle.get("files")) {
      if (path.equals(f.get("path").asString())) {
        return f.get("content").asString();
      }
    }
    throw new AssertionError("the bundle has no " + path + ": " + bundle.get("files"));
  }

  private static JsonNode rollout(String body) throws Exception {
    var created = send("POST", "tw-service", "/api/v1/rollouts", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body());
  }

  private static JsonNode awaitStatus(JsonNode rollout, String status, Duration within) {
    JsonNode[] last = new JsonNode[1];
    try {
      await()
          .ignoreExceptions()
          .atMost(within)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                last[0] = view(rollout);
                return status.equals(last[0].get("status").asString());
              });
    } catch (org.awaitility.core.ConditionTimeoutException timeout) {
      throw new AssertionError("rollout not " + status + ": " + last[0], timeout);
    }
    return last[0];
  }

  private static JsonNode view(JsonNode rollout) throws Exception {
    var r = get("tw-service", "/api/v1/rollouts/" + rollout.get("id").asString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  private static JsonNode deviceState(JsonNode rollout, SimulatedDevice device) throws Exception {
    for (JsonNode d : view(rollout).get("devices")) {
      if (device.deviceId().equals(d.get("deviceId").asString())) {
        return d;
      }
    }
    return json.createObjectNode();
  }

  private static JsonNode health(SimulatedDevice device) throws Exception {
    var r = get("diagnostic-service", "/api/v1/devices/" + device.deviceId() + "/health");
    return r.statusCode() == 200 ? json.readTree(r.body()) : json.createObjectNode();
  }

  private static JsonNode latestVersion(SimulatedDevice device) throws Exception {
    var list = get("sc-service", "/api/v1/devices/" + device.deviceId() + "/configs");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    JsonNode versions = json.readTree(list.body());
    JsonNode items = versions.isArray() ? versions : versions.get("items");
    JsonNode newest = null;
    for (JsonNode v : items) {
      if (newest == null || v.get("version").asInt() > newest.get("version").asInt()) {
        newest = v;
      }
    }
    assertThat(newest).isNotNull();
    return newest;
  }

  private static String featuresOf(SimulatedDevice device) {
    return "/api/v1/devices/" + device.deviceId() + "/features";
  }

  private static HttpResponse<String> get(String service, String path) throws Exception {
    return send("GET", service, path, null);
  }

  private static HttpResponse<String> send(String method, String service, String path, String body)
      throws Exception {
    return SuiteHttp.send(suite, method, service, path, body);
  }
}
