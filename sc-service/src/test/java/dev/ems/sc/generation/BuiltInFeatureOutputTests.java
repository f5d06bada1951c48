package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.FeatureFragment;
import dev.ems.sc.feature.FeatureDefinitions.Definition;
import dev.ems.sc.feature.UciSections;
import dev.ems.sc.template.BuiltInTemplates;
import dev.ems.sc.template.TemplateEngine;
import dev.ems.sc.template.TemplateSet;
import dev.ems.sc.variables.VariableResolver;
import dev.ems.sc.variables.VariableResolver.Layer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each built-in feature of tw-service's catalogue ({@code tw-service/src/main/resources/
 * tw-features}, read from the source tree: the files SC receives as definitions) rendered with the
 * built-in template set, as a device's config request renders them; the UCI output is parsed and
 * its options asserted.
 */
class BuiltInFeatureOutputTests {

  private static final Path FEATURES = Path.of("../tw-service/src/main/resources/tw-features");
  private static final JsonMapper JSON = JsonMapper.shared();

  private final TemplateEngine engine = new TemplateEngine();
  private final FeatureOutputs outputs = new FeatureOutputs(null, engine);
  private final TemplateSet builtIn = new BuiltInTemplates().set();

  @Test
  void qosRendersTheSqmPackagesQueue() {
    var files =
        render(
            Map.of(),
            feature("wan", Map.of("wan_proto", "dhcp")),
            feature("qos", Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000)));

    Map<String, String> queue = section(files, "/etc/config/sqm", "queue", "wan");
    assertThat(queue)
        .containsEntry("enabled", "1")
        .containsEntry("interface", "wan")
        .containsEntry("download", "48123")
        .containsEntry("upload", "9000")
        .containsEntry("qdisc", "cake")
        .containsEntry("script", "piece_of_cake.qos");
    assertThat(content(files, "/etc/config/sqm")).contains("option download '48123'");
  }

  @Test
  void qosWithFqCodelOverPppoeShapesThePppoeDeviceWithSimpleQos() {
    var files =
        render(
            Map.of("pppoe_password", "pw"),
            feature("wan", Map.of("wan_proto", "pppoe", "pppoe_username", "user")),
            feature(
                "qos",
                Map.of("qos_download_kbps", 100, "qos_upload_kbps", 64, "qos_qdisc", "fq_codel")));

    assertThat(section(files, "/etc/config/sqm", "queue", "wan"))
        .containsEntry("interface", "pppoe-wan")
        .containsEntry("qdisc", "fq_codel")
        .containsEntry("script", "simple.qos");
  }

  @Test
  void wanReplacesTheBaseSetsWanInterface() {
    var files =
        render(
            Map.of("dns_servers", List.of("192.0.2.53")),
            feature(
                "wan",
                Map.of(
                    "wan_proto", "static",
                    "wan_ip", "198.51.100.2",
                    "wan_netmask", "255.255.255.0",
                    "wan_gateway", "198.51.100.1")));

    assertThat(count(files, "/etc/config/network", "interface", "wan")).isEqualTo(1);
    assertThat(section(files, "/etc/config/network", "interface", "wan"))
        .containsEntry("proto", "static")
        .containsEntry("ipaddr", "198.51.100.2")
        .containsEntry("gateway", "198.51.100.1")
        .containsEntry("dns", "192.0.2.53");
    // the loopback and lan interfaces of the base set stay
    assertThat(section(files, "/etc/config/network", "interface", "loopback")).isNotEmpty();
  }

  @Test
  void lanDhcpOwnsTheLanInterfaceBridgeAndDhcpPool() {
    var files =
        render(
            Map.of(),
            feature(
                "lan-dhcp",
                Map.of(
                    "lan_ip",
                    "10.1.0.1",
                    "lan_ports",
                    List.of("lan1", "lan2"),
                    "dhcp_start",
                    20,
                    "dhcp_limit",
                    50)));

    assertThat(section(files, "/etc/config/network", "interface", "lan"))
        .containsEntry("ipaddr", "10.1.0.1")
        .containsEntry("device", "br-lan");
    assertThat(section(files, "/etc/config/network", "device", "br_lan"))
        .containsEntry("ports", "lan1,lan2");
    assertThat(section(files, "/etc/config/dhcp", "dhcp", "lan"))
        .containsEntry("start", "20")
        .containsEntry("limit", "50")
        .containsEntry("interface", "lan");
    assertThat(count(files, "/etc/config/dhcp", "dhcp", "lan")).isEqualTo(1);
    assertThat(count(files, "/etc/config/network", "device", "br_lan")).isEqualTo(1);
  }

  @Test
  void vlansRenderDsaBridgeVlansAndTheirInterfaces() {
    var files =
        render(
            Map.of(),
            feature("lan-dhcp", Map.of("lan_ip", "10.1.0.1", "lan_ports", List.of("lan1", "lan2"))),
            feature(
                "vlans",
                Map.of(
                    "vlans",
                    List.of(
                        Map.of("id", 20, "ip", "10.20.0.1"),
                        Map.of("id", 30, "ip", "10.30.0.1", "ports", List.of("lan2"))))));

    String network = content(files, "/etc/config/network");
    assertThat(network).doesNotContain("8021q");
    assertThat(section(files, "/etc/config/network", "device", "br_lan"))
        .containsEntry("vlan_filtering", "1");
    assertThat(section(files, "/etc/config/network", "bridge-vlan", "lan_vlan"))
        .containsEntry("vlan", "1")
        .containsEntry("ports", "lan1:u*,lan2:u*");
    assertThat(section(files, "/etc/config/network", "bridge-vlan", "vlan20"))
        .containsEntry("device", "br-lan")
        .containsEntry("vlan", "20")
        .containsEntry("ports", "lan1:t,lan2:t");
    assertThat(section(files, "/etc/config/network", "bridge-vlan", "vlan30"))
        .containsEntry("ports", "lan2:t");
    assertThat(section(files, "/etc/config/network", "interface", "vlan30"))
        .containsEntry("device", "br-lan.30")
        .containsEntry("ipaddr", "10.30.0.1");
    assertThat(section(files, "/etc/config/network", "interface", "lan"))
        .containsEntry("device", "br-lan.1")
        .containsEntry("ipaddr", "10.1.0.1");
    assertThat(count(files, "/etc/config/network", "interface", "vlan20")).isEqualTo(1);
  }

  @Test
  void staticRoutesAreNetworkRouteSectionsRenderedOnce() {
    var files =
        render(
            Map.of(),
            feature(
                "static-routes",
                Map.of(
                    "static_routes",
                    List.of(
                        Map.of("target", "10.8.0.0/16", "gateway", "192.0.2.1"),
                        Map.of(
                            "target",
                            "10.9.0.0/16",
                            "gateway",
                            "192.0.2.2",
                            "interface",
                            "lan",
                            "metric",
                            5)))));

    List<Map<String, String>> routes = sections(files, "/etc/config/network", "route");
    assertThat(routes).hasSize(2);
    assertThat(routes.get(0))
        .containsEntry("target", "10.8.0.0/16")
        .containsEntry("gateway", "192.0.2.1")
        .containsEntry("interface", "wan");
    assertThat(routes.get(1)).containsEntry("interface", "lan").containsEntry("metric", "5");
  }

  @Test
  void firewallAddsZonesForwardingsAndRulesWithoutDuplicates() {
    var files =
        render(
            Map.of(),
            feature(
                "firewall",
                Map.of(
                    "firewall_zones",
                    List.of(
                        Map.of("name", "guest", "networks", List.of("vlan20"), "input", "REJECT"),
                        Map.of("name", "wan", "networks", List.of("wan", "wan6"), "masq", true)),
                    "firewall_forwardings",
                    List.of(Map.of("src", "guest", "dest", "wan")),
                    "firewall_rules",
                    List.of(Map.of("name", "Allow-SSH", "dest_port", "22", "target", "ACCEPT")))));

    assertThat(section(files, "/etc/config/firewall", "zone", "guest"))
        .containsEntry("name", "guest")
        .containsEntry("network", "vlan20")
        .containsEntry("input", "REJECT");
    assertThat(count(files, "/etc/config/firewall", "zone", "wan")).isEqualTo(1);
    assertThat(section(files, "/etc/config/firewall", "zone", "wan"))
        .containsEntry("network", "wan,wan6")
        .containsEntry("masq", "1");
    assertThat(section(files, "/etc/config/firewall", "forwarding", "guest_wan"))
        .containsEntry("src", "guest")
        .containsEntry("dest", "wan");
    List<Map<String, String>> rules = sections(files, "/etc/config/firewall", "rule");
    assertThat(rules.stream().filter(r -> "Allow-SSH".equals(r.get("name"))))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("dest_port", "22").containsEntry("src", "wan"));
    // the base set's own rules stay
    assertThat(rules.stream().map(r -> r.get("name"))).contains("Allow-IKE-EMS", "Allow-ESP-EMS");
  }

  @Test
  void ntpDnsSetsTheTimeserverAndDnsmasqsServers() {
    var files =
        render(
            Map.of(),
            feature(
                "ntp-dns",
                Map.of(
                    "ntp_servers", List.of("ntp1.example.net", "ntp2.example.net"),
                    "dns_servers", List.of("192.0.2.53", "192.0.2.54"))));

    assertThat(section(files, "/etc/config/system", "timeserver", "ntp"))
        .containsEntry("enabled", "1")
        .containsEntry("server", "ntp1.example.net,ntp2.example.net");
    assertThat(count(files, "/etc/config/system", "timeserver", "ntp")).isEqualTo(1);
    assertThat(sections(files, "/etc/config/dhcp", "dnsmasq")).hasSize(1);
    assertThat(section(files, "/etc/config/dhcp", "dnsmasq", "main"))
        .containsEntry("server", "192.0.2.53,192.0.2.54")
        .containsEntry("noresolv", "1")
        .containsEntry("domain", "lan");
  }

  @Test
  void mgmtIpsecKeepsTheEmsEndpointUnlessAHeadendIsGiven() {
    var defaults =
        render(Map.of(), feature("mgmt-ipsec", Map.of("ike_proposals", "aes128-sha256-modp3072")));
    var headend = render(Map.of(), feature("mgmt-ipsec", Map.of("mgmt_headend", "203.0.113.9")));

    String swan = content(defaults, "/etc/swanctl/conf.d/ems-mgmt.conf");
    assertThat(swan)
        .contains(
            "remote_addrs = ems.example.net",
            "proposals = aes128-sha256-modp3072",
            "certs = device.crt",
            "start_action = start")
        .doesNotContain("config ");
    assertThat(swan.chars().filter(c -> c == '{').count())
        .isEqualTo(swan.chars().filter(c -> c == '}').count());
    assertThat(content(headend, "/etc/swanctl/conf.d/ems-mgmt.conf"))
        .contains("remote_addrs = 203.0.113.9");
  }

  @Test
  void mgmtIpsecAcceptsOnlyItsOwnTenantsHeadend() {
    var files = render(Map.of(), feature("mgmt-ipsec", Map.of()));
    var builtIn = render(Map.of());

    // the headend's certificate CN=ems-mgmt,O=<tenant> as strongSwan writes it (O first); any other
    // tenant's headend certificate differs in O and is refused (issue 19)
    String remote = "\t\tremote {\n\t\t\tauth = pubkey\n";
    String id = "\t\t\tid = \"O=acme, CN=ems-mgmt\"\n";
    // and only a certificate of the tenant's own issuing CA, which the device stored at enrollment
    // (another tenant's headend with this identity would still be refused)
    String ca = "\t\t\tcacerts = ems-tenant-ca.crt\n\t\t}\n";
    assertThat(feature("mgmt-ipsec", Map.of()).version()).isEqualTo(6);
    assertThat(content(files, "/etc/swanctl/conf.d/ems-mgmt.conf"))
        .contains(remote)
        .contains(id)
        .contains(ca);
    assertThat(content(builtIn, "/etc/swanctl/conf.d/ems-mgmt.conf"))
        .contains(remote)
        .contains(id)
        .contains(ca);
  }

  @Test
  void aTenantIdThatCannotStandInTheHeadendsIdentityFailsTheRenderNamingIt() {
    // only a bootstrap tenant can be configured so: SC's own tenant ids are [a-z0-9-]
    assertThat(ConfigRenderer.ems("e", "acme.corp_1")).containsEntry("tenant", "acme.corp_1");
    assertThat(ConfigRenderer.ems("e", "acme\", O=other")).doesNotContainKey("tenant");
    Map<String, Object> reserved = new LinkedHashMap<>();
    reserved.put(
        "device",
        Map.of("id", "d-1", "serial", "SN1", "model", "ow", "name", "cpe-1", "tags", List.of()));
    reserved.put("site", Map.of());
    reserved.put("ems", ConfigRenderer.ems("ems.example.net", "acme\", O=other"));
    Map<String, Object> context = VariableResolver.resolve(List.of(), Map.of(), reserved);

    assertThatThrownBy(() -> engine.render(builtIn, context))
        .isInstanceOf(dev.ems.sc.template.TemplateException.class)
        .hasMessageContaining("/etc/swanctl/conf.d/ems-mgmt.conf")
        .hasMessageContaining("ems.tenant");
  }

  @Test
  void mgmtIpsecVersion4StillRendersAsItDid() {
    // a device whose feature set names version 4 renders it until the feature is set again: its
    // headend identity stays CN=ems-mgmt (ems.mgmt_id is not given), the upgrade is version 5
    var earlier =
        render(
            Map.of(),
            feature(
                Path.of("src/test/resources/tw-features-earlier/mgmt-ipsec-4.json"),
                "mgmt-ipsec",
                Map.of()));

    assertThat(content(earlier, "/etc/swanctl/conf.d/ems-mgmt.conf"))
        .contains("\t\t\tid = \"CN=ems-mgmt\"\n")
        .doesNotContain("O=acme");
  }

  @Test
  void mgmtIpsecVersion5StillRendersAsItDid() {
    // version 5 checks the headend's identity only; version 6 adds the tenant CA (cacerts)
    var earlier =
        render(
            Map.of(),
            feature(
                Path.of("src/test/resources/tw-features-earlier/mgmt-ipsec-5.json"),
                "mgmt-ipsec",
                Map.of()));

    assertThat(content(earlier, "/etc/swanctl/conf.d/ems-mgmt.conf"))
        .contains("\t\t\tid = \"O=acme, CN=ems-mgmt\"\n\t\t}\n")
        .doesNotContain("cacerts");
  }

  @Test
  void theSameInputsRenderTheSameBytes() {
    var first =
        render(
            Map.of(),
            feature("wan", Map.of("wan_proto", "dhcp")),
            feature("qos", Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000)),
            feature("firewall", Map.of("firewall_rules", List.of(Map.of("name", "a")))));
    var second =
        render(
            Map.of(),
            feature("firewall", Map.of("firewall_rules", List.of(Map.of("name", "a")))),
            feature("qos", Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000)),
            feature("wan", Map.of("wan_proto", "dhcp")));

    assertThat(ConfigBundles.sha256(first)).isEqualTo(ConfigBundles.sha256(second));
  }

  @Test
  void aFragmentThatFailsNamesFeatureVersionFragmentAndLine() {
    var broken =
        new FeatureOutputs.Enabled(
            "broken",
            7,
            Map.of(),
            new Definition(
                "t",
                "broken",
                7,
                Map.of(
                    "openwrt-default",
                    List.of(
                        new FeatureFragment(
                            "extra",
                            "/etc/config/extra",
                            FeatureFragment.Mode.FILE,
                            "config x 'y'\n\toption a '{{ nope }}'\n")))));

    assertThatThrownBy(() -> render(Map.of(), broken))
        .isInstanceOf(ConfigRenderer.RenderFailure.class)
        .hasMessageContaining("feature 'broken' version 7, fragment 'extra' (/etc/config/extra)")
        .hasMessageContaining("line 2")
        .hasMessageContaining("nope");
  }

  private List<ConfigFile> render(Map<String, Object> variables, FeatureOutputs.Enabled... on) {
    List<FeatureOutputs.Enabled> enabled = new ArrayList<>(List.of(on));
    enabled.sort(java.util.Comparator.comparing(FeatureOutputs.Enabled::key));
    Map<String, Map<String, Object>> params = new TreeMap<>();
    enabled.forEach(f -> params.put(f.key(), f.params()));
    Map<String, Object> reserved = new LinkedHashMap<>();
    reserved.put(
        "device",
        Map.of("id", "d-1", "serial", "SN1", "model", "ow", "name", "cpe-1", "tags", List.of()));
    reserved.put("site", Map.of());
    reserved.put("ems", Map.of("endpoint", "ems.example.net", "tenant", "acme"));
    Map<String, Object> context =
        VariableResolver.resolve(List.of(new Layer("device", variables)), params, reserved);
    return ConfigBundles.canonical(
        outputs.apply(builtIn, engine.render(builtIn, context), context, enabled, List.of()));
  }

  /**
   * A built-in feature's definition as tw-service publishes it, from its catalogue file: schema,
   * rules and fragments as they are (other tests of the same JVM check parameters against them).
   */
  static FeatureDefinitionChanged definitionEvent(String key) {
    try {
      JsonNode file = JSON.readTree(Files.readString(FEATURES.resolve(key + ".json")));
      return new FeatureDefinitionChanged(
          key,
          file.get("version").asInt(),
          file.get("description").asString(),
          JSON.convertValue(
              file.get("parametersSchema"), new TypeReference<Map<String, Object>>() {}),
          Map.of(),
          JSON.convertValue(file.get("dependsOn"), new TypeReference<List<String>>() {}),
          JSON.convertValue(file.get("conflictsWith"), new TypeReference<List<String>>() {}),
          false,
          java.time.Instant.parse("2026-01-01T00:00:00Z"),
          JSON.convertValue(
              file.get("fragments"), new TypeReference<Map<String, List<FeatureFragment>>>() {}));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static FeatureOutputs.Enabled feature(String key, Map<String, Object> params) {
    return feature(FEATURES.resolve(key + ".json"), key, params);
  }

  private static FeatureOutputs.Enabled feature(
      Path definition, String key, Map<String, Object> params) {
    try {
      JsonNode file = JSON.readTree(Files.readString(definition));
      Map<String, List<FeatureFragment>> fragments =
          JSON.convertValue(
              file.get("fragments"), new TypeReference<Map<String, List<FeatureFragment>>>() {});
      int version = file.get("version").asInt();
      return new FeatureOutputs.Enabled(
          key, version, params, new Definition("*", key, version, fragments));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String content(List<ConfigFile> files, String path) {
    return files.stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no file " + path))
        .content();
  }

  private static int count(List<ConfigFile> files, String path, String type, String name) {
    return (int)
        UciSections.parse(content(files, path)).sections().stream()
            .filter(s -> s.type().equals(type) && name.equals(s.name()))
            .count();
  }

  private static Map<String, String> section(
      List<ConfigFile> files, String path, String type, String name) {
    return UciSections.parse(content(files, path)).sections().stream()
        .filter(s -> s.type().equals(type) && name.equals(s.name()))
        .findFirst()
        .map(s -> options(s.text()))
        .orElseThrow(() -> new AssertionError("no section " + type + " '" + name + "' in " + path));
  }

  private static List<Map<String, String>> sections(
      List<ConfigFile> files, String path, String type) {
    return UciSections.parse(content(files, path)).sections().stream()
        .filter(s -> s.type().equals(type))
        .map(s -> options(s.text()))
        .toList();
  }

  /** Option name → value; the values of a list joined by commas. */
  static Map<String, String> options(String section) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      var m =
          java.util.regex.Pattern.compile("^\\s*(option|list)\\s+(\\S+)\\s+'([^']*)'\\s*$")
              .matcher(line);
      if (m.matches()) {
        options.merge(m.group(2), m.group(3), (a, b) -> a + "," + b);
      }
    }
    return options;
  }
}
