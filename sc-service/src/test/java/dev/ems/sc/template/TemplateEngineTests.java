package dev.ems.sc.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.common.event.ConfigFile;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TemplateEngineTests {

  private final TemplateEngine engine = new TemplateEngine();

  private static TemplateSet set(Map<String, String> files) {
    return new TemplateSet("cpe-x", new TreeMap<>(files), 1);
  }

  private static Map<String, Object> device() {
    return Map.of(
        "device",
        Map.of("id", "d-1", "serial", "SN1", "model", "ow", "name", "cpe-1", "tags", List.of()),
        "ems",
        Map.of("endpoint", "ems.example.net"),
        "site",
        Map.of(),
        "features",
        Map.of());
  }

  @Test
  void anUndefinedVariableNamesTheTemplateSetFileLineAndVariable() {
    var templates = set(Map.of("/etc/config/a", "line one\nline two\noption x '{{ wan_ip }}'\n"));

    assertThatThrownBy(() -> engine.render(templates, device()))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.model()).isEqualTo("cpe-x");
              assertThat(e.file()).isEqualTo("/etc/config/a");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.variable()).isEqualTo("wan_ip");
              assertThat(e.getMessage())
                  .contains("'cpe-x'", "/etc/config/a", "line 3", "undefined variable 'wan_ip'");
            });
  }

  @Test
  void defaultsAndIsDefinedKeepStrictModeHappy() {
    var templates =
        set(Map.of("/f", "{{ tz | default('UTC') }}\n{% if syslog is defined %}S{% endif %}end\n"));

    List<ConfigFile> files = engine.render(templates, device());

    assertThat(files).singleElement().extracting(ConfigFile::content).isEqualTo("UTC\nend\n");
  }

  @Test
  void aSyntaxErrorIsFoundOnUploadWithItsLine() {
    var templates = set(Map.of("/etc/x", "ok\nok\n{% for a in items %}\nno end\n"));

    assertThatThrownBy(() -> engine.validate(templates))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.file()).isEqualTo("/etc/x");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.variable()).isNull();
            });
  }

  @Test
  void validationDoesNotNeedTheVariables() {
    engine.validate(set(Map.of("/etc/x", "{{ anything.at.all }}\n")));
  }

  @Test
  void theBuiltInSetRendersAnOpenWrtCpeWithAnIkev2ManagementTunnel() {
    var builtIn = new BuiltInTemplates().set();
    var context = new java.util.HashMap<>(device());
    context.put(
        "vlans", List.of(Map.of("id", 20, "ip", "10.20.0.1"), Map.of("id", 30, "ip", "10.30.0.1")));

    List<ConfigFile> files = engine.render(builtIn, context);

    assertThat(files).hasSize(5);
    String swan = content(files, "/etc/swanctl/conf.d/ems-mgmt.conf");
    assertThat(swan)
        .contains(
            "version = 2", "remote_addrs = ems.example.net", "auth = pubkey", "id = \"CN=d-1\"");
    String network = content(files, "/etc/config/network");
    assertThat(network)
        .contains("config interface 'vlan20'", "option ipaddr '10.30.0.1'", "option proto 'dhcp'");
    assertThat(content(files, "/etc/config/system")).contains("option hostname 'cpe-1'");
  }

  @Test
  void staticWanNeedsItsAddressesInStrictMode() {
    var builtIn = new BuiltInTemplates().set();
    var context = new java.util.HashMap<>(device());
    context.put("wan_proto", "static");

    assertThatThrownBy(() -> engine.render(builtIn, context))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.file()).isEqualTo("/etc/config/network");
              assertThat(e.variable()).isEqualTo("wan_ip");
            });
  }

  private static String content(List<ConfigFile> files, String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().content();
  }
}
