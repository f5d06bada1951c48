package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import dev.ems.simulator.SwanctlTunnel;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 19: the management tunnel for real. The headend namespace runs charon with the bundle EMS
 * rendered for the tenant's headend (pki-service), the device namespace runs charon with exactly
 * the swanctl file SC rendered for the device and the key and certificate it enrolled through
 * device-api. The IKE and child SAs come up, the device pings the headend's inner address from its
 * virtual IP, the simulated device reports what its swanctl says and the headend's reporter what
 * the headend's says, and diagnostics shows ESTABLISHED. Revoking the device's certificate makes
 * the headend refuse the device's next IKE_AUTH (OCSP), and diagnostics shows the tunnel DOWN with
 * an alert although the revoked device can no longer report.
 */
class MgmtTunnelSuiteIT {

  private static final JsonMapper json = new JsonMapper();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern REMOTE_ADDRS = Pattern.compile("remote_addrs = (\\S+)");
  private static final Pattern VIP = Pattern.compile("local-vips=\\[([0-9.]+)]");
  private static final String INNER = "10.255.0.1";
  private static Suite suite;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> loops = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    IpsecLab.requireRootAndStrongSwan();
    suite = RunningSuite.get();
  }

  @Test
  void anEnrolledDeviceReachesTheHeadendAndLosesTheTunnelWhenItsCertificateIsRevoked(
      @TempDir Path dir) throws Exception {
    Instant enrollStart = Instant.now();
    SimulatedDevice device = enrolledDevice(RunningSuite.ADMIN);
    String rendered = file(device.running().bundle(), "/etc/swanctl/conf.d/ems-mgmt.conf");
    Matcher remote = REMOTE_ADDRS.matcher(rendered);
    assertThat(remote.find()).as(rendered).isTrue();

    try (IpsecLab lab = new IpsecLab(dir)) {
      JsonNode headendBundle =
          ok(
              send(
                  "POST",
                  "pki-service",
                  "/api/v1/mgmt-headend/bundles",
                  json.writeValueAsString(
                      Map.of(
                          "pool",
                          "10.255.64.0/24",
                          "innerAddress",
                          INNER,
                          "revocationUrl",
                          "http://" + lab.hostAddress + ":" + suite.port("pki-service")))));
      lab.headendInnerAddress(INNER);
      lab.deviceResolves(remote.group(1));
      Path headend = lab.startCharon(lab.headendNs, "headend");
      for (JsonNode f : headendBundle.get("files")) {
        write(headend.resolve("swanctl").resolve(f.get("path").asString()), f.get("content"));
      }
      Path dev = lab.startCharon(lab.deviceNs, "device");
      Files.writeString(dev.resolve("swanctl/conf.d/ems-mgmt.conf"), rendered);
      // what the device stored at enrollment, where its file expects it: its key and certificate,
      // its tenant's issuing CA (x509ca/ems-tenant-ca.crt, the file's remote cacerts) and the root
      device.installSwanctlCredentials(dev.resolve("swanctl"));
      assertThat(rendered).contains("cacerts = ems-tenant-ca.crt");
      List<String> headendCtl = IpsecLab.swanctl(lab.headendNs, headend);
      List<String> deviceCtl = IpsecLab.swanctl(lab.deviceNs, dev);
      IpsecLab.run(with(headendCtl, "--load-all", "--noprompt"));
      // the device's rendered connection starts itself (start_action = start)
      IpsecLab.run(with(deviceCtl, "--load-all", "--noprompt"));
      SwanctlTunnel tunnel = new SwanctlTunnel(deviceCtl);
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> "ESTABLISHED".equals(tunnel.state()));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "no tunnel; headend log:\n"
                + IpsecLab.read(headend, "charon.log")
                + "\ndevice log:\n"
                + IpsecLab.read(dev, "charon.log"),
            e);
      }
      Duration enrollToUp = Duration.between(enrollStart, Instant.now());
      String headendSas = IpsecLab.run(with(headendCtl, "--list-sas", "--raw"));
      // the device's identity is its certificate's subject: CN=<device id>,O=<tenant> (strongSwan
      // writes it "O=default, CN=<id>"); before issue 19's per-tenant trust it was CN=<device id>
      assertThat(headendSas).contains("CN=" + device.deviceId()).contains("INSTALLED");
      Matcher vip = VIP.matcher(IpsecLab.run(with(deviceCtl, "--list-sas", "--raw")));
      assertThat(vip.find()).isTrue();
      assertThat(vip.group(1)).startsWith("10.255.64.");
      IpsecLab.run(
          List.of(
              "ip",
              "netns",
              "exec",
              lab.deviceNs,
              "ping",
              "-c",
              "3",
              "-W",
              "5",
              "-I",
              vip.group(1),
              INNER));

      // per-tenant trust: a device of another tenant, whose certificate chains to the same EMS CA
      // and is valid, is refused by this tenant's headend (it would get an address of this pool)
      String otherTenant = "tunnel-b-" + UUID.randomUUID().toString().substring(0, 8);
      String otherAdmin = "Bearer " + tenant(otherTenant);
      SimulatedDevice intruder = enrolledDevice(otherAdmin);
      String intruderFile = file(intruder.running().bundle(), "/etc/swanctl/conf.d/ems-mgmt.conf");
      // the other tenant's device keeps its own tenant's CA beside this device's (one charon)
      List<String> intruderChain = pems(intruder.chainPem());
      for (int i = 0; i < intruderChain.size(); i++) {
        write(dev.resolve("swanctl/x509ca/intruder-ca-" + i + ".crt"), intruderChain.get(i));
      }
      String other =
          intruderFile
              .replace("ems-mgmt {", "ems-mgmt-b {")
              .replace("certs = device.crt", "certs = intruder.crt")
              .replace("cacerts = ems-tenant-ca.crt", "cacerts = intruder-ca-0.crt")
              .replace("start_action = start", "start_action = none")
              .replace("close_action = start", "close_action = none")
              .replace("keyingtries = 0", "keyingtries = 1");
      Files.writeString(dev.resolve("swanctl/conf.d/intruder.conf"), other);
      write(dev.resolve("swanctl/x509/intruder.crt"), intruder.certificatePem());
      write(dev.resolve("swanctl/private/intruder.key"), intruder.privateKeyPem());
      IpsecLab.run(with(deviceCtl, "--load-all", "--noprompt"));
      IpsecLab.Result intrusion =
          IpsecLab.attempt(
              with(deviceCtl, "--initiate", "--child", "ems-mgmt-b", "--timeout", "20"));
      String afterIntrusion = IpsecLab.run(with(headendCtl, "--list-sas", "--raw"));
      assertThat(intrusion.exit())
          .as(
              () ->
                  "the other tenant's device was let in:\n"
                      + intrusion.out()
                      + "\nheadend SAs:\n"
                      + afterIntrusion)
          .isNotZero();
      assertThat(afterIntrusion)
          .doesNotContain("CN=" + intruder.deviceId())
          .contains("CN=" + device.deviceId());
      assertThat(IpsecLab.read(headend, "charon.log"))
          .as("the headend found no connection for the other tenant's device")
          .contains("no matching peer config found");

      // the chain alone refuses it too (issue 19): the headend's trust anchor is this tenant's own
      // issuing CA. A connection of this tenant's bundle that takes any identity (id = %any, a
      // pool of its own) still refuses the other tenant's device, whose certificate chains to EMS's
      // root through its own tenant's CA (the device sends that CA along), not through this one.
      // Before tenants had CAs of their own every EMS certificate chained through the one shared
      // issuing CA, and this connection let the other tenant's device in.
      String connection = headendBundle.get("connection").asString();
      String anyIdentity =
          file(headendBundle, "conf.d/" + connection + ".conf")
              .replace("\t" + connection + " {", "\t" + connection + "-any {")
              .replace("pools = " + connection, "pools = " + connection + "-any")
              .replaceAll("id = \"O=[^\"]*, CN=\\*\"", "id = %any")
              .replace("addrs = 10.255.64.0/24", "addrs = 10.255.66.0/24");
      assertThat(anyIdentity).contains("id = %any").contains(connection + "-any {");
      Files.writeString(headend.resolve("swanctl/conf.d/any-identity.conf"), anyIdentity);
      IpsecLab.run(with(headendCtl, "--load-all", "--noprompt"));
      Files.writeString(
          dev.resolve("swanctl/conf.d/intruder-chain.conf"),
          other
              .replace("ems-mgmt-b {", "ems-mgmt-c {")
              .replaceAll(
                  "id = \"O=[^\"]*, CN=ems-mgmt\"",
                  java.util.regex.Matcher.quoteReplacement("id = \"O=default, CN=ems-mgmt\"")));
      IpsecLab.run(with(deviceCtl, "--load-all", "--noprompt"));
      IpsecLab.Result chainIntrusion =
          IpsecLab.attempt(
              with(deviceCtl, "--initiate", "--child", "ems-mgmt-c", "--timeout", "20"));
      String afterChainIntrusion = IpsecLab.run(with(headendCtl, "--list-sas", "--raw"));
      assertThat(chainIntrusion.exit())
          .as(
              () ->
                  "the other tenant's device was let in by a connection of this tenant's CA:\n"
                      + chainIntrusion.out()
                      + "\nheadend SAs:\n"
                      + afterChainIntrusion)
          .isNotZero();
      assertThat(afterChainIntrusion)
          .doesNotContain("CN=" + intruder.deviceId())
          .contains("CN=" + device.deviceId());
      String chainLog = IpsecLab.read(headend, "charon.log");
      assertThat(chainLog)
          .as(() -> "the headend refused the other tenant's CA:\n" + tail(chainLog))
          .contains("constraint check failed: peer not authenticated by CA");
      Files.delete(headend.resolve("swanctl/conf.d/any-identity.conf"));
      IpsecLab.run(with(headendCtl, "--load-all", "--noprompt"));

      // and the other way round: the other tenant's admin takes a headend bundle of its own (a
      // valid headend certificate of the same EMS CA), makes it accept any device and points this
      // tenant's device at it. The device refuses that headend: it is not its tenant's
      JsonNode rogueBundle =
          ok(
              sendAs(
                  otherAdmin,
                  "POST",
                  "pki-service",
                  "/api/v1/mgmt-headend/bundles",
                  json.writeValueAsString(
                      Map.of(
                          "pool",
                          "10.255.65.0/24",
                          "innerAddress",
                          INNER,
                          "revocationUrl",
                          "http://" + lab.hostAddress + ":" + suite.port("pki-service")))));
      lab.rogueHeadend();
      Path rogue = lab.startCharon(lab.rogueNs, "rogue");
      for (JsonNode f : rogueBundle.get("files")) {
        String content = f.get("content").asString();
        if (f.get("path").asString().startsWith("conf.d/")) {
          // the rogue's own choice: any device of the EMS CA, no revocation check (it has no
          // route to pki-service)
          // (and any CA under EMS's root: it takes the device's certificate and intermediate CA)
          content =
              content
                  .replaceAll("id = \"O=[^\"]*, CN=\\*\"", "id = %any")
                  .replaceAll("\t\t\tcacerts = [^\n]*\n", "")
                  .replace("revocation = ifuri", "revocation = relaxed");
        }
        write(rogue.resolve("swanctl").resolve(f.get("path").asString()), content);
      }
      List<String> rogueCtl = IpsecLab.swanctl(lab.rogueNs, rogue);
      IpsecLab.run(with(rogueCtl, "--load-all", "--noprompt"));
      Files.writeString(
          dev.resolve("swanctl/conf.d/rogue.conf"),
          rendered
              .replace("ems-mgmt {", "ems-mgmt-r {")
              .replace(
                  "remote_addrs = " + remote.group(1), "remote_addrs = " + IpsecLab.ROGUE_OUTER)
              .replace("start_action = start", "start_action = none")
              .replace("close_action = start", "close_action = none")
              .replace("keyingtries = 0", "keyingtries = 1"));
      IpsecLab.run(with(deviceCtl, "--load-all", "--noprompt"));
      IpsecLab.Result posing =
          IpsecLab.attempt(
              with(deviceCtl, "--initiate", "--child", "ems-mgmt-r", "--timeout", "20"));
      String deviceSasWithRogue = IpsecLab.run(with(deviceCtl, "--list-sas", "--raw"));
      String rogueSas = IpsecLab.run(with(rogueCtl, "--list-sas", "--raw"));
      assertThat(posing.exit())
          .as(
              () ->
                  "the device took the other tenant's headend for its own:\n"
                      + posing.out()
                      + "\nrogue log:\n"
                      + tail(IpsecLab.read(rogue, "charon.log")))
          .isNotZero();
      assertThat(deviceSasWithRogue).doesNotContain("ems-mgmt-r");
      assertThat(rogueSas).doesNotContain("CN=" + device.deviceId());
      // refused for the headend's identity, not for want of a route: the device asks for its own
      // tenant's headend (IDr "O=<tenant>, CN=ems-mgmt"), which the rogue cannot be
      String rogueLog = IpsecLab.read(rogue, "charon.log");
      assertThat(rogueLog)
          .as(() -> "the rogue found no connection for the device's IDr:\n" + tail(rogueLog))
          .contains("[O=default, CN=ems-mgmt]")
          .contains("no matching peer config found");

      // the identity alone would not do: a headend certificate with the identity the device asks
      // for, issued by another tenant's CA. No EMS CA issues one (every tenant CA puts its own
      // tenant in O), so the device is made to ask for the rogue's identity (O=<other tenant>) and
      // nothing else of its file changes: the rogue answers with its valid EMS certificate of that
      // identity, and the device refuses it because its tenant's CA did not issue it (remote
      // cacerts = ems-tenant-ca.crt). Before the file pinned the tenant's CA, the device
      // authenticated the rogue and established this IKE SA, taking a virtual IP from the rogue's
      // pool (only its child SA failed, on traffic selectors): any CA under EMS's root would do.
      String deviceLogBefore = IpsecLab.read(dev, "charon.log");
      Files.writeString(
          dev.resolve("swanctl/conf.d/rogue-identity.conf"),
          rendered
              .replace("ems-mgmt {", "ems-mgmt-t {")
              .replace(
                  "remote_addrs = " + remote.group(1), "remote_addrs = " + IpsecLab.ROGUE_OUTER)
              .replaceAll(
                  "id = \"O=[^\"]*, CN=ems-mgmt\"",
                  Matcher.quoteReplacement("id = \"O=" + otherTenant + ", CN=ems-mgmt\""))
              .replace("start_action = start", "start_action = none")
              .replace("close_action = start", "close_action = none")
              .replace("keyingtries = 0", "keyingtries = 1"));
      IpsecLab.run(with(deviceCtl, "--load-all", "--noprompt"));
      IpsecLab.Result otherCa =
          IpsecLab.attempt(
              with(deviceCtl, "--initiate", "--child", "ems-mgmt-t", "--timeout", "20"));
      String deviceLog = IpsecLab.read(dev, "charon.log").substring(deviceLogBefore.length());
      assertThat(otherCa.exit())
          .as(
              () ->
                  "the device took a headend of another tenant's CA for its own:\n"
                      + otherCa.out()
                      + "\ndevice log:\n"
                      + tail(deviceLog))
          .isNotZero();
      assertThat(deviceLog)
          .as(() -> "the device refused the other tenant's CA:\n" + tail(deviceLog))
          .contains("constraint check failed: peer not authenticated by CA");
      assertThat(IpsecLab.run(with(deviceCtl, "--list-sas", "--raw"))).doesNotContain("ems-mgmt-t");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !IpsecLab.run(with(rogueCtl, "--list-sas", "--raw"))
                      .contains("CN=" + device.deviceId()));
      Files.delete(dev.resolve("swanctl/conf.d/rogue-identity.conf"));
      IpsecLab.run(with(deviceCtl, "--load-all", "--noprompt"));

      // its own tenant's headend still holds the device
      assertThat(IpsecLab.run(with(headendCtl, "--list-sas", "--raw")))
          .contains("CN=" + device.deviceId());

      // the device's agent and the headend's reporter, as they run in production
      var uptime = new java.util.concurrent.atomic.AtomicLong(60);
      loop(() -> device.heartbeat(uptime.incrementAndGet(), tunnel.state()));
      loop(
          () -> {
            // as report-sas.sh: the next IKE_AUTH asks EMS's OCSP afresh (a revocation counts),
            // then the headend's view goes to diagnostics, which names the SAs to terminate
            IpsecLab.run(with(headendCtl, "--flush-certs", "--type", "ocsp_response"));
            JsonNode answer = report(IpsecLab.run(with(headendCtl, "--list-sas", "--raw")));
            for (JsonNode t : answer.path("terminate")) {
              IpsecLab.attempt(
                  with(
                      headendCtl,
                      "--terminate",
                      "--ike-id",
                      String.valueOf(t.get("ikeId").asLong()),
                      "--force"));
            }
          });
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                JsonNode h = health(device);
                return "ESTABLISHED".equals(h.path("headendTunnel").asString())
                    && h.path("tunnels").toString().contains("\"ESTABLISHED\"")
                    && "OK".equals(h.path("health").asString());
              });

      // revocation: the headend's reporter terminates the device's live SA (diagnostics names it
      // once PKI's revocation reached it), and the device's next IKE_AUTH is refused (OCSP)
      Instant revokedAt = Instant.now();
      var revoked =
          send(
              "POST",
              "pki-service",
              "/api/v1/certificates/" + serial(device.certificatePem()) + "/revoke",
              "{\"reason\":\"keyCompromise\"}");
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    !IpsecLab.run(with(headendCtl, "--list-sas", "--raw"))
                        .contains("CN=" + device.deviceId()));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "the revoked device's SA stayed up; headend log:\n"
                + tail(IpsecLab.read(headend, "charon.log")),
            e);
      }
      Duration revokeToTornDown = Duration.between(revokedAt, Instant.now());
      // the device reconnects (close_action = start, or an operator's initiate): refused
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  IpsecLab.read(headend, "charon.log").contains("certificate was revoked")
                      || IpsecLab.attempt(
                                  with(
                                      deviceCtl,
                                      "--initiate",
                                      "--child",
                                      "ems-mgmt",
                                      "--timeout",
                                      "15"))
                              .exit()
                          != 0);
      Duration revokeToRefused = Duration.between(revokedAt, Instant.now());
      String headendLog = IpsecLab.read(headend, "charon.log");
      assertThat(headendLog)
          .as(() -> "the headend refused for the revocation:\n" + tail(headendLog))
          .contains("certificate was revoked");
      await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(tunnel.state()));
      assertThat(IpsecLab.run(with(headendCtl, "--list-sas", "--raw")))
          .doesNotContain("CN=" + device.deviceId());
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                JsonNode h = health(device);
                return "DOWN".equals(h.path("headendTunnel").asString())
                    && "CRITICAL".equals(h.path("health").asString())
                    && h.path("reasons").toString().contains("EMS headend");
              });
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> alerts(device).contains("TUNNEL_DOWN"));
      System.out.printf(
          "management tunnel: enrollment -> SA up %d ms; revocation -> SA torn down at the headend"
              + " %d ms; revocation -> IKE_AUTH refused %d ms%n",
          enrollToUp.toMillis(), revokeToTornDown.toMillis(), revokeToRefused.toMillis());
    } finally {
      running.set(false);
      for (Thread loop : loops) {
        loop.join(Duration.ofSeconds(20));
      }
    }
  }

  /** A new tenant of the system admin's making; its first ADMIN key, once sc and pki take it. */
  private static String tenant(String id) throws Exception {
    JsonNode created =
        ok(
            send(
                "POST",
                "sc-service",
                "/api/v1/tenants",
                "{\"name\":\"" + id + "\",\"id\":\"" + id + "\"}"));
    String key = created.at("/adminKey/key").asString();
    for (String service : List.of("sc-service", "pki-service", "diagnostic-service")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () ->
                  sendAs("Bearer " + key, "GET", service, "/api/v1/mgmt-headend/none", null)
                          .statusCode()
                      != 401);
    }
    return key;
  }

  private SimulatedDevice enrolledDevice(String authorization) throws Exception {
    String serial = "TUNNEL-" + UUID.randomUUID();
    JsonNode created =
        ok(
            sendAs(
                authorization,
                "POST",
                "sc-service",
                "/api/v1/devices",
                "{\"serial\":\"" + serial + "\",\"model\":\"ow-x86\",\"name\":\"tunnel\"}"));
    String id = created.get("id").asString();
    ok(
        sendAs(
            authorization,
            "POST",
            "sc-service",
            "/api/v1/devices/" + id + "/config-requests",
            "{\"variables\":{}}"));
    var device =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), serial, "X-SSL-Client-Cert");
    String token = created.get("bootstrapToken").asString();
    // generous: PKI learns of the device and its token through Kafka, slow on a loaded machine
    int[] status = new int[1];
    await()
        .atMost(Duration.ofSeconds(300))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .alias("enrollment (last status in the log)")
        .until(
            () -> {
              status[0] = device.enroll(token);
              System.out.println("management tunnel test: enroll answered " + status[0]);
              return status[0] == 200;
            });
    await()
        .atMost(Duration.ofSeconds(300))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(() -> device.fetchConfig() == 200 && device.apply(null) == 202);
    return device;
  }

  private JsonNode report(String listSas) throws Exception {
    return ok(
        send(
            "PUT",
            "diagnostic-service",
            "/api/v1/mgmt-headend/sas",
            json.writeValueAsString(Map.of("listSas", listSas))));
  }

  interface Step {
    void run() throws Exception;
  }

  private void loop(Step step) {
    loops.add(
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running.get()) {
                    try {
                      step.run();
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception e) {
                      // refused (a revoked device) or busy: the next turn tries again
                    }
                  }
                }));
  }

  private static JsonNode health(SimulatedDevice device) throws Exception {
    var r = send("GET", "diagnostic-service", "/api/v1/devices/" + device.deviceId() + "/health");
    return r.statusCode() == 200 ? json.readTree(r.body()) : json.createObjectNode();
  }

  private static String alerts(SimulatedDevice device) throws Exception {
    return send("GET", "diagnostic-service", "/api/v1/alerts?deviceId=" + device.deviceId()).body();
  }

  private static String serial(String pem) throws Exception {
    var cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    return cert.getSerialNumber().toString(16);
  }

  private static String tail(String log) {
    return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
  }

  private static String file(JsonNode bundle, String path) {
    for (JsonNode f : bundle.get("files")) {
      if (path.equals(f.get("path").asString())) {
        return f.get("content").asString();
      }
    }
    throw new AssertionError("the bundle has no " + path + ": " + bundle.get("files"));
  }

  private static List<String> pems(String chain) {
    List<String> pems = new ArrayList<>();
    Matcher m =
        Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----").matcher(chain);
    while (m.find()) {
      pems.add(m.group() + "\n");
    }
    assertThat(pems).as(chain).isNotEmpty();
    return pems;
  }

  private static void write(Path file, Object content) throws Exception {
    Files.createDirectories(file.getParent());
    String text = content instanceof JsonNode node ? node.asString() : content.toString();
    Files.writeString(file, text);
  }

  private static List<String> with(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return json.readTree(response.body());
  }

  private static HttpResponse<String> send(String method, String service, String path)
      throws Exception {
    return send(method, service, path, null);
  }

  private static HttpResponse<String> send(String method, String service, String path, String body)
      throws Exception {
    return SuiteHttp.send(suite, method, service, path, body);
  }

  private static HttpResponse<String> sendAs(
      String authorization, String method, String service, String path, String body)
      throws Exception {
    if (RunningSuite.ADMIN.equals(authorization)) {
      return send(method, service, path, body);
    }
    var builder =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + suite.port(service) + path))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
