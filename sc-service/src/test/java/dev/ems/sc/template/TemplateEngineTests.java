package dev.ems.sc.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.common.event.ConfigFile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        Map.of("endpoint", "ems.example.net", "tenant", "acme"),
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

  /**
   * Parse trees are cached by template text: the same tree rendered again, at once on several
   * threads, gives each render its own variables, budget and strict-mode errors.
   */
  @Test
  void aCachedTemplateRendersEachRequestsOwnVariablesOnManyThreadsAndStaysStrict()
      throws Exception {
    var templates =
        set(
            Map.of(
                "/etc/config/system",
                "config system\n{% for n in names %}\toption hostname '{{ n }}'\n{% endfor %}",
                "/etc/motd",
                "{% macro hi(x) %}hello {{ x }}{% endmacro %}{{ hi(names[0]) }}\n"));
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      List<java.util.concurrent.Future<String>> renders = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String name = "cpe-" + i;
        renders.add(
            pool.submit(
                () -> {
                  Map<String, Object> vars = new HashMap<>(device());
                  vars.put("names", List.of(name));
                  var files = engine.render(templates, vars);
                  return files.get(0).content() + "|" + files.get(1).content();
                }));
      }
      for (int i = 0; i < renders.size(); i++) {
        assertThat(renders.get(i).get())
            .isEqualTo("config system\n\toption hostname 'cpe-" + i + "'\n|hello cpe-" + i + "\n");
      }
    }
    // the cached tree still fails a render that lacks a variable, with its line
    assertThatThrownBy(() -> engine.render(templates, device()))
        .isInstanceOfSatisfying(
            TemplateException.class, e -> assertThat(e.variable()).isEqualTo("names"));
  }

  @Test
  void aValueWithQuotesCannotAddUciOptionsToTheFileItIsWrittenInto() {
    var templates =
        set(
            Map.of(
                "/etc/config/system",
                "config system\n\toption log_ip '{{ syslog }}'\n\toption hostname"
                    + " '{{ device.name }}'\n"));
    for (String hostile :
        List.of("x'; option foo 'bar", "x' option foo 'bar", "x'\\''", "'", "a\"b;#c")) {
      var context = new HashMap<>(device());
      context.put("syslog", hostile);

      String out = engine.render(templates, context).getFirst().content();

      var system = UciGrammar.parse(out).getFirst();
      assertThat(system.options().keySet()).as(out).containsExactly("log_ip", "hostname");
      assertThat(system.options().get("log_ip").values()).as(out).containsExactly(hostile);
    }
  }

  @Test
  void aLineBreakInAValueOfAUciFileFailsTheRenderNamingFileAndLine() {
    var templates =
        set(Map.of("/etc/config/system", "config system\n\toption log_ip '{{ syslog }}'\n"));
    var context = new HashMap<>(device());
    context.put("syslog", "x'\n\toption foo 'bar");

    assertThatThrownBy(() -> engine.render(templates, context))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.file()).isEqualTo("/etc/config/system");
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.getMessage()).contains("line break");
            });
    // outside UCI files (swanctl, scripts) values are written as they are
    var other = set(Map.of("/etc/motd", "{{ syslog }}\n"));
    assertThat(engine.render(other, context).getFirst().content())
        .isEqualTo("x'\n\toption foo 'bar\n");
  }

  @Test
  void aUciFileThatDoesNotParseFailsTheRender() {
    var templates = set(Map.of("/etc/config/system", "config system\n\toption a 'b' 'c'\n"));

    assertThatThrownBy(() -> engine.render(templates, device()))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.file()).isEqualTo("/etc/config/system");
              assertThat(e.getMessage()).contains("not valid UCI", "line 2: too many arguments");
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
            "version = 2",
            "remote_addrs = ems.example.net",
            "auth = pubkey",
            "certs = device.crt",
            // its own tenant's headend only (issue 19)
            "\t\tremote {\n\t\t\tauth = pubkey\n",
            "\t\t\tid = \"O=acme, CN=ems-mgmt\"\n",
            // issued by its tenant's own CA, the file the device stored at enrollment
            "\t\t\tcacerts = ems-tenant-ca.crt\n\t\t}");
    String network = content(files, "/etc/config/network");
    assertThat(network)
        .contains("config interface 'vlan20'", "option ipaddr '10.30.0.1'", "option proto 'dhcp'");
    assertThat(content(files, "/etc/config/system"))
        .contains("option hostname 'cpe-1'", "option zonename 'UTC'", "option timezone 'UTC0'");
  }

  @Test
  void theBuiltInSystemFileCarriesTheZoneNameAndItsPosixString() {
    var builtIn = new BuiltInTemplates().set();
    var byZoneName = new HashMap<>(device());
    byZoneName.put("zonename", "Europe/Berlin");
    // what the README walk-through sends: an IANA name as timezone
    var byTimezone = new HashMap<>(device());
    byTimezone.put("timezone", "Europe/Berlin");
    var posixOnly = new HashMap<>(device());
    posixOnly.put("timezone", "EST5EDT,M3.2.0,M11.1.0");

    for (var context : List.of(byZoneName, byTimezone)) {
      assertThat(content(engine.render(builtIn, context), "/etc/config/system"))
          .contains(
              "\toption zonename 'Europe/Berlin'\n",
              "\toption timezone 'CET-1CEST,M3.5.0,M10.5.0/3'\n");
    }
    assertThat(content(engine.render(builtIn, posixOnly), "/etc/config/system"))
        .contains("\toption timezone 'EST5EDT,M3.2.0,M11.1.0'\n")
        .doesNotContain("zonename");
  }

  @Test
  void anUnknownZoneFailsTheRenderOfTheBuiltInSet() {
    var context = new HashMap<>(device());
    context.put("zonename", "Mars/Olympus");

    assertThatThrownBy(() -> engine.render(new BuiltInTemplates().set(), context))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.getMessage()).contains("zonename", "Mars/Olympus"));
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

  @Test
  void variableValuesAreDataNeverTemplates() {
    var templates = set(Map.of("/etc/a", "{{ domain }}\n"));
    var context = new HashMap<>(device());
    String hostile = "X{{ 7*7 }}Y{% include 'sc-service.yml' %}Z";
    context.put("domain", hostile);

    List<ConfigFile> files = engine.render(templates, context);

    assertThat(content(files, "/etc/a")).isEqualTo(hostile + "\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{% include 'file:///etc/hostname' %}",
        "{% include 'sc-service.yml' %}",
        "{% include 'templates/openwrt/system.j2' %}",
        "{% import 'templates/openwrt/system.j2' as s %}",
        "{% from 'templates/openwrt/system.j2' import x %}",
        "{% extends 'templates/openwrt/system.j2' %}",
        "{% set f = 'sc-service' ~ '.yml' %}{% include f %}"
      })
  void includeOutsideTheTemplateSetFails(String template) {
    var templates = set(Map.of("/etc/a", "before\n" + template + "\nafter\n"));

    assertThatThrownBy(() -> engine.render(templates, device()))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.file()).isEqualTo("/etc/a");
              assertThat(e.getMessage()).contains("not a file of template set 'cpe-x'");
            });
  }

  @Test
  void filesOfTheSameSetCanBeIncludedAndImported() {
    var templates =
        set(
            Map.of(
                "/etc/lib/macros",
                "{% macro opt(k, v) %}option {{ k }} '{{ v }}'{% endmacro %}",
                "/etc/lib/header",
                "# {{ device.name }}\n",
                "/etc/config/x",
                "{% from '/etc/lib/macros' import opt %}{% include '/etc/lib/header' %}"
                    + "config x\n{{ opt('a', 1) | safe }}\n{{ opt('b', \"it's\") | safe }}\n"));

    List<ConfigFile> files = engine.render(templates, device());

    // a macro's lines go into a UCI file marked safe; the values it wrote are escaped
    assertThat(content(files, "/etc/config/x"))
        .isEqualTo("# cpe-1\nconfig x\noption a '1'\noption b 'it'\\''s'\n");
  }

  @Test
  void anUploadIncludingAFileOutsideTheSetIsRefused() {
    var templates = set(Map.of("/etc/a", "{% include 'sc-service.yml' %}\n"));

    assertThatThrownBy(() -> engine.validate(templates))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.getMessage()).contains("not a file of template set 'cpe-x'"));
  }

  @Test
  void javaMethodsOfValuesCannotBeCalled() {
    var context = new HashMap<>(device());
    context.put("v", "ab");

    for (String template :
        List.of("{{ v.repeat(3) }}", "{{ v.getBytes() }}", "{{ device.getClass() }}")) {
      assertThatThrownBy(() -> engine.render(set(Map.of("/etc/a", template)), context))
          .as(template)
          .isInstanceOf(TemplateException.class);
    }
  }

  @Test
  void nestedLoopsBeyondTheStepBudgetFailTheRender() {
    var templates =
        set(
            Map.of(
                "/etc/a",
                "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(20) %}"
                    + "{% endfor %}{% endfor %}{% endfor %}\n"));
    var patient = new TemplateEngine(new TemplateEngine.Limits(100_000, 1_000_000, 60_000));
    long start = System.nanoTime();

    assertThatThrownBy(() -> patient.render(templates, device()))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.getMessage()).contains("more than 100000 loop iterations"));
    // it held a request thread for 8 s before there was a budget
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  /** A chain of macros that each call the next twice: no loop, yet 2^21 calls. */
  @Test
  void macroCallsBeyondTheStepBudgetFailTheRender() {
    StringBuilder template = new StringBuilder("{% macro m0() %}x{% endmacro %}\n");
    for (int i = 1; i <= 21; i++) {
      template
          .append("{% macro m")
          .append(i)
          .append("() %}{{ m")
          .append(i - 1)
          .append("() }}{{ m")
          .append(i - 1)
          .append("() }}{% endmacro %}\n");
    }
    template.append("{{ m21()|length }}\n");
    var patient = new TemplateEngine(new TemplateEngine.Limits(100_000, 20_000, 60_000));

    assertThatThrownBy(() -> patient.render(set(Map.of("/etc/a", template.toString())), device()))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.getMessage()).contains("more than 20000 steps"));
  }

  @Test
  void aRenderBeyondItsTimeBudgetFails() {
    var slow = new TemplateEngine(new TemplateEngine.Limits(1_000_000, 10_000_000, 1));
    var templates =
        set(
            Map.of(
                "/etc/a",
                "{% for a in range(1000) %}{% for b in range(1000) %}{{ '' }}{% endfor %}"
                    + "{% endfor %}\n"));

    assertThatThrownBy(() -> slow.render(templates, device()))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> assertThat(e.getMessage()).contains("took longer than 1 ms"));
  }

  @Test
  void validationParsesWithoutRunningLoops() {
    var templates =
        set(
            Map.of(
                "/etc/a",
                "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                    + "{{ a }}{% endfor %}{% endfor %}{% endfor %}\n"));

    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> engine.validate(templates));
  }

  @Test
  void outputBeyondFourMebibytesFailsTheRender() {
    var context = new HashMap<>(device());
    context.put("big", "x".repeat(5000));
    var templates = set(Map.of("/etc/a", "{% for i in range(1000) %}{{ big }}{% endfor %}\n"));

    assertThatThrownBy(() -> engine.render(templates, context))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.file()).isEqualTo("/etc/a");
              assertThat(e.getMessage()).contains("more than 4194304 characters");
            });
  }

  private static String content(List<ConfigFile> files, String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().content();
  }
}
