package dev.ems.sc.generation;

import static dev.ems.sc.generation.BuiltInFeatureOutputTests.feature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.ConfigFile;
import dev.ems.sc.template.BuiltInTemplates;
import dev.ems.sc.template.TemplateEngine;
import dev.ems.sc.template.TemplateSet;
import dev.ems.sc.template.UciGrammar;
import dev.ems.sc.variables.VariableResolver;
import dev.ems.sc.variables.VariableResolver.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 4: every UCI file the built-in template set and the built-in features' fragments
 * render reads as OpenWrt's libuci reads it ({@link UciGrammar}), and names only the section types
 * and options of the package it configures, as OpenWrt documents them (openwrt.org/docs/guide-user:
 * base-system/system_configuration, network/ucicheatsheet and network_configuration,
 * base-system/dhcp, firewall/firewall_configuration; the sqm-scripts package's /etc/config/sqm).
 */
class BuiltInUciGrammarTests {

  /** package → section type → option names OpenWrt reads there. */
  private static final Map<String, Map<String, Set<String>>> KNOWN =
      Map.of(
          "system",
          Map.of(
              "system",
              Set.of(
                  "hostname",
                  "description",
                  "notes",
                  "zonename",
                  "timezone",
                  "log_size",
                  "log_ip",
                  "log_port",
                  "log_proto",
                  "log_file",
                  "log_remote",
                  "conloglevel",
                  "cronloglevel",
                  "klogconloglevel",
                  "ttylogin",
                  "urandom_seed",
                  "buffersize"),
              "timeserver",
              Set.of("enabled", "enable_server", "server", "interface", "use_dhcp")),
          "network",
          Map.of(
              "interface",
              Set.of(
                  "device",
                  "proto",
                  "ipaddr",
                  "netmask",
                  "gateway",
                  "broadcast",
                  "dns",
                  "peerdns",
                  "metric",
                  "mtu",
                  "macaddr",
                  "auto",
                  "ip6assign",
                  "ip6addr",
                  "ip6gw",
                  "ipv6",
                  "username",
                  "password",
                  "defaultroute",
                  "delegate",
                  "force_link"),
              "device",
              Set.of(
                  "name",
                  "type",
                  "ports",
                  "macaddr",
                  "mtu",
                  "ifname",
                  "vid",
                  "stp",
                  "vlan_filtering"),
              "globals",
              Set.of("ula_prefix", "packet_steering"),
              "route",
              Set.of(
                  "interface",
                  "target",
                  "netmask",
                  "gateway",
                  "metric",
                  "mtu",
                  "table",
                  "source",
                  "onlink",
                  "type"),
              "bridge-vlan",
              Set.of("device", "vlan", "ports")),
          "dhcp",
          Map.of(
              "dnsmasq",
              Set.of(
                  "domainneeded",
                  "boguspriv",
                  "filterwin2k",
                  "localise_queries",
                  "rebind_protection",
                  "rebind_localhost",
                  "local",
                  "domain",
                  "expandhosts",
                  "nonegcache",
                  "authoritative",
                  "readethers",
                  "leasefile",
                  "resolvfile",
                  "localservice",
                  "ednspacket_max",
                  "server",
                  "noresolv",
                  "cachesize",
                  "logqueries",
                  "nonwildcard",
                  "interface"),
              "dhcp",
              Set.of(
                  "interface",
                  "start",
                  "limit",
                  "leasetime",
                  "dhcpv4",
                  "dhcpv6",
                  "ra",
                  "ignore",
                  "force",
                  "dhcp_option",
                  "ra_flags",
                  "netmask"),
              "odhcpd",
              Set.of("maindhcp", "leasefile", "leasetrigger", "loglevel"),
              "host",
              Set.of("name", "mac", "ip", "dns", "leasetime")),
          "firewall",
          Map.of(
              "defaults",
              Set.of(
                  "syn_flood",
                  "synflood_protect",
                  "input",
                  "output",
                  "forward",
                  "drop_invalid",
                  "flow_offloading"),
              "zone",
              Set.of(
                  "name", "network", "device", "subnet", "input", "output", "forward", "masq",
                  "mtu_fix", "family", "masq6", "log"),
              "forwarding",
              Set.of("src", "dest", "family", "enabled"),
              "rule",
              Set.of(
                  "name",
                  "src",
                  "dest",
                  "proto",
                  "src_ip",
                  "dest_ip",
                  "src_port",
                  "dest_port",
                  "target",
                  "family",
                  "icmp_type",
                  "enabled",
                  "limit",
                  "src_mac",
                  "extra"),
              "redirect",
              Set.of("name", "src", "dest", "proto", "src_dport", "dest_ip", "dest_port", "target"),
              "include",
              Set.of("path", "type", "fw4_compatible", "reload")),
          "sqm",
          Map.of(
              "queue",
              Set.of(
                  "enabled",
                  "interface",
                  "download",
                  "upload",
                  "qdisc",
                  "script",
                  "linklayer",
                  "overhead",
                  "debug_logging",
                  "verbosity",
                  "qdisc_advanced",
                  "squash_dscp",
                  "squash_ingress",
                  "ingress_ecn",
                  "egress_ecn",
                  "linklayer_advanced",
                  "tcMTU",
                  "tcTSIZE",
                  "tcMPU",
                  "iqdisc_opts",
                  "eqdisc_opts")));

  private final TemplateEngine engine = new TemplateEngine();
  private final FeatureOutputs outputs = new FeatureOutputs(null, engine);
  private final TemplateSet builtIn = new BuiltInTemplates().set();

  @Test
  void theBuiltInSetAloneRendersUciOpenWrtReads() {
    checkAll(render(Map.of(), List.of()));
    checkAll(
        render(
            Map.of(
                "syslog_server", "192.0.2.9",
                "dns_servers", List.of("192.0.2.53"),
                "wan_proto", "static",
                "wan_ip", "198.51.100.2",
                "wan_netmask", "255.255.255.0",
                "wan_gateway", "198.51.100.1",
                "vlans", List.of(Map.of("id", 20, "ip", "10.20.0.1")),
                "static_routes", List.of(Map.of("target", "10.9.0.0/16", "gateway", "10.0.0.1")),
                "firewall_rules", List.of(Map.of("name", "ssh", "dest_port", 22)),
                "timezone", "Europe/Berlin"),
            List.of()));
  }

  @Test
  void everyBuiltInFeatureRendersUciOpenWrtReads() {
    List<FeatureOutputs.Enabled> all =
        List.of(
            feature(
                "wan",
                Map.of("wan_proto", "pppoe", "pppoe_username", "user", "wan_device", "eth1")),
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
                    50,
                    "dhcp_leasetime",
                    "6h")),
            feature(
                "vlans",
                Map.of(
                    "vlans",
                    List.of(Map.of("id", 30, "ip", "10.30.0.1", "ports", List.of("lan3"))),
                    "vlan_lan_id",
                    1)),
            feature(
                "static-routes",
                Map.of(
                    "static_routes",
                    List.of(
                        Map.of("target", "10.9.0.0/16", "gateway", "10.1.0.254", "metric", 5)))),
            feature(
                "firewall",
                Map.of(
                    "firewall_rules",
                    List.of(
                        Map.of(
                            "name",
                            "ssh",
                            "src",
                            "wan",
                            "proto",
                            "tcp",
                            "dest_port",
                            "22",
                            "target",
                            "ACCEPT",
                            "dest",
                            "lan")),
                    "firewall_zones",
                    List.of(
                        Map.of(
                            "name",
                            "guest",
                            "networks",
                            List.of("guest"),
                            "input",
                            "REJECT",
                            "masq",
                            true)),
                    "firewall_forwardings",
                    List.of(Map.of("src", "guest", "dest", "wan")))),
            feature(
                "ntp-dns",
                Map.of(
                    "ntp_servers",
                    List.of("192.0.2.123"),
                    "timezone",
                    "Europe/Berlin",
                    "dns_servers",
                    List.of("192.0.2.53"),
                    "syslog_server",
                    "192.0.2.9")),
            feature(
                "qos",
                Map.of("qos_download_kbps", 100000, "qos_upload_kbps", 20000, "qos_qdisc", "cake")),
            feature("mgmt-ipsec", Map.of("mgmt_dpd_delay_s", 60)));
    List<ConfigFile> files = render(Map.of("pppoe_password", "pw"), all);

    checkAll(files);
    assertThat(files).extracting(ConfigFile::path).contains("/etc/config/sqm");
  }

  @Test
  void aVariableWithQuotesStaysOneValue() {
    String hostile = "cpe'; option log_ip '203.0.113.66'; #";
    List<ConfigFile> files = render(Map.of("syslog_server", hostile, "domain", hostile), List.of());

    var system = sections(files, "/etc/config/system").getFirst();
    assertThat(system.options().get("log_ip").values()).containsExactly(hostile);
    var dnsmasq = sections(files, "/etc/config/dhcp").getFirst();
    assertThat(dnsmasq.options().get("domain").values()).containsExactly(hostile);
    checkAll(files);
  }

  private static void checkAll(List<ConfigFile> files) {
    int checked = 0;
    for (ConfigFile file : files) {
      if (!file.path().startsWith("/etc/config/")) {
        continue;
      }
      String pkg = file.path().substring("/etc/config/".length());
      Map<String, Set<String>> types = KNOWN.get(pkg);
      assertThat(types).as("a package OpenWrt has: " + pkg).isNotNull();
      for (UciGrammar.Section section : sections(files, file.path())) {
        Set<String> options = types.get(section.type());
        assertThat(options)
            .as(file.path() + ": section type '" + section.type() + "' of package " + pkg)
            .isNotNull();
        assertThat(options)
            .as(file.path() + ": options of " + section.type() + " '" + section.name() + "'")
            .containsAll(section.options().keySet());
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
  }

  private static List<UciGrammar.Section> sections(List<ConfigFile> files, String path) {
    String content =
        files.stream()
            .filter(f -> f.path().equals(path))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no file " + path))
            .content();
    try {
      return UciGrammar.parse(content);
    } catch (UciGrammar.SyntaxError e) {
      throw new AssertionError(path + " is not UCI: " + e.getMessage() + "\n" + content, e);
    }
  }

  private List<ConfigFile> render(Map<String, Object> variables, List<FeatureOutputs.Enabled> on) {
    List<FeatureOutputs.Enabled> enabled = new ArrayList<>(on);
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
}
