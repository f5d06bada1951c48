package dev.ems.bench;

import dev.ems.common.event.ConfigFile;
import dev.ems.sc.template.BuiltInTemplates;
import dev.ems.sc.template.TemplateEngine;
import dev.ems.sc.template.TemplateSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Rendering throughput of the built-in OpenWrt + strongSwan template set (5 files), one thread =
 * one core: {@code bench/sc.sh} runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class RenderBenchmark {

  private TemplateEngine engine;
  private TemplateSet set;
  private Map<String, Object> context;

  @Setup
  public void setUp() {
    engine = new TemplateEngine();
    set = new BuiltInTemplates().set();
    context = new HashMap<>();
    context.put(
        "device",
        Map.of(
            "id", "3f1c2a9e-0000-4000-8000-000000000001",
            "serial", "CPE-0001",
            "model", "ow-x86",
            "name", "branch-berlin",
            "tags", List.of("edge")));
    context.put("ems", Map.of("endpoint", "ems.example.net", "tenant", "acme"));
    context.put("site", Map.of());
    context.put("features", Map.of());
    context.put("timezone", "Europe/Berlin");
    context.put(
        "vlans", List.of(Map.of("id", 20, "ip", "10.20.0.1"), Map.of("id", 30, "ip", "10.30.0.1")));
    context.put("static_routes", List.of(Map.of("target", "10.99.0.0/16", "gateway", "192.0.2.1")));
    context.put(
        "firewall_rules",
        List.of(Map.of("name", "Allow-SSH-Mgmt", "proto", "tcp", "dest_port", "22")));
  }

  @Benchmark
  public List<ConfigFile> renderBuiltInSet() {
    return engine.render(set, context);
  }
}
