package dev.ems.bench;

import dev.ems.simulator.DeviceSimulator;
import dev.ems.simulator.SimulatedDevice;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provisions N real devices on a running suite (create on SC, request a config, enroll through
 * device-api and PKI with their own keys, fetch the config) and writes what the load tools need:
 * {@code fleet.lua} (wrk: certificate headers and ETags), {@code cert-header.txt} and {@code
 * etag.txt} of device 0 (h2load), and {@code config.json} = device 0's bundle bytes (nginx).
 *
 * <p>Usage: {@code DeviceFleetSetup <out-dir> <devices> <admin-key>}; {@code EMS_SC_URL} and {@code
 * EMS_DEVICE_API_URL} move the services from their default ports.
 */
public final class DeviceFleetSetup {

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    String key = args[2];
    // another suite may hold the default ports on a shared machine (bench/heartbeats.sh moves them)
    String sc = System.getenv().getOrDefault("EMS_SC_URL", "http://127.0.0.1:8081");
    String api = System.getenv().getOrDefault("EMS_DEVICE_API_URL", "http://127.0.0.1:8080");
    Files.createDirectories(out);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    JsonMapper json = new JsonMapper();
    List<String> certs = new ArrayList<>();
    List<String> etags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String serial = "BENCH-" + System.nanoTime() + "-" + i;
      var created =
          http.send(
              DeviceSimulator.operator(
                  sc + "/api/v1/devices",
                  key,
                  "{\"serial\":\""
                      + serial
                      + "\",\"model\":\"ow-x86\",\"name\":\"cpe-"
                      + i
                      + "\"}"),
              HttpResponse.BodyHandlers.ofString());
      var device = json.readTree(created.body());
      http.send(
          DeviceSimulator.operator(
              sc + "/api/v1/devices/" + device.get("id").asString() + "/config-requests",
              key,
              "{\"variables\":{\"timezone\":\"Europe/Berlin\"}}"),
          HttpResponse.BodyHandlers.ofString());
      var sim = new SimulatedDevice(http, api, serial, "X-SSL-Client-Cert");
      String token = device.get("bootstrapToken").asString();
      for (int attempt = 0; attempt(sim::enroll, token) != 200; attempt++) {
        if (attempt > 30) {
          throw new IllegalStateException("enrollment of " + serial + " keeps failing");
        }
        Thread.sleep(500);
      }
      for (int attempt = 0; attempt(t -> sim.fetchConfig(), null) != 200; attempt++) {
        if (attempt > 60) {
          throw new IllegalStateException("no config for " + serial);
        }
        Thread.sleep(250);
      }
      String pem = sim.certificatePem();
      certs.add(URLEncoder.encode(pem, StandardCharsets.UTF_8));
      etags.add(sim.config().etag());
      if (i == 0) {
        Files.writeString(out.resolve("cert-header.txt"), certs.get(0));
        Files.writeString(out.resolve("etag.txt"), etags.get(0));
        var raw =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/device/v1/config"))
                    .header("X-SSL-Client-Cert", certs.get(0))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Files.write(out.resolve("config.json"), raw.body());
      }
    }
    StringBuilder lua = new StringBuilder("certs = {\n");
    certs.forEach(c -> lua.append("  \"").append(c).append("\",\n"));
    lua.append("}\netags = {\n");
    etags.forEach(e -> lua.append("  '").append(e).append("',\n"));
    lua.append("}\n");
    Files.writeString(out.resolve("fleet.lua"), lua);
    System.out.println("provisioned " + n + " devices into " + out);
  }

  /** A device call that timed out counts as a failed attempt (the device retries). */
  private static int attempt(Call call, String argument) throws Exception {
    try {
      return call.apply(argument);
    } catch (java.net.http.HttpTimeoutException e) {
      System.err.println("device-api did not answer within the timeout; retrying: " + e);
      return 0;
    }
  }

  @FunctionalInterface
  private interface Call {
    int apply(String argument) throws Exception;
  }
}
