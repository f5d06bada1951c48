package dev.ems.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ManagementTunnelTests {

  static final String HEADEND = "ems.example.net";

  /** The built-in template itself, rendered with {@code ems.endpoint} = {@code endpoint}. */
  static String rendered(String endpoint) throws IOException {
    String template =
        Files.readString(
            Path.of("../sc-service/src/main/resources/templates/openwrt/swanctl-ems-mgmt.j2"));
    return template.replace("{{ ems.endpoint }}", endpoint).replaceAll("\\{\\{[^}]*}}", "x");
  }

  static JsonNode bundle(Map<String, String> files) {
    List<Map<String, String>> list =
        files.entrySet().stream()
            .map(e -> Map.of("path", e.getKey(), "content", e.getValue()))
            .toList();
    return JsonMapper.shared().valueToTree(Map.of("sha256", "ab".repeat(32), "files", list));
  }

  @Test
  void theBuiltInManagementConnectionToTheReachableHeadendBringsTheTunnelUp() throws Exception {
    var bundle = bundle(Map.of(ManagementTunnel.PATH, rendered(HEADEND), "/etc/config/x", "y"));

    assertThat(ManagementTunnel.state(bundle, HEADEND)).isEqualTo("ESTABLISHED");
    assertThat(ManagementTunnel.state(bundle, "EMS.Example.NET")).isEqualTo("ESTABLISHED");
  }

  @Test
  void aConfigThatPointsTheTunnelElsewhereOrDropsItLosesTheTunnel() throws Exception {
    assertThat(
            ManagementTunnel.state(
                bundle(Map.of(ManagementTunnel.PATH, rendered("203.0.113.9"))), HEADEND))
        .isEqualTo("DOWN");
    assertThat(ManagementTunnel.state(bundle(Map.of("/etc/config/network", "x")), HEADEND))
        .isEqualTo("DOWN");
    assertThat(
            ManagementTunnel.state(
                bundle(Map.of("/etc/swanctl/conf.d/other.conf", rendered(HEADEND))), HEADEND))
        .isEqualTo("DOWN");
    assertThat(ManagementTunnel.state(null, HEADEND)).isEqualTo("DOWN");
  }

  @Test
  void onlyTheRemoteAddrsOfTheEmsMgmtConnectionCount() {
    String swanctl =
        """
        # remote_addrs = ems.example.net (a comment)
        connections {
          other {
            remote_addrs = ems.example.net
          }
          ems-mgmt {
            remote_addrs = 198.51.100.1, "ems.example.net"
            local {
              auth = pubkey
            }
            children {
              ems-mgmt {
                remote_ts = 10.255.0.0/16
              }
            }
          }
        }
        """;
    assertThat(ManagementTunnel.remoteAddrs(swanctl))
        .containsExactly("198.51.100.1", "ems.example.net");
    assertThat(
            ManagementTunnel.remoteAddrs(
                swanctl.replace("ems-mgmt {\n    remote", "x {\n    remote")))
        .isEmpty();
  }
}
