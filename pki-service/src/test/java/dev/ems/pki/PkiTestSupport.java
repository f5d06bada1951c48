package dev.ems.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls shared by the pki-service integration tests. */
public final class PkiTestSupport {

  public static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;
  private static final JsonMapper json = JsonMapper.builder().build();

  private PkiTestSupport() {}

  public static String newEntity(MockMvc mvc) throws Exception {
    String name = UUID.randomUUID().toString();
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"name":"%s","subjectDn":"CN=%s,OU=Devices,O=default",
                     "certificateProfile":"device","dnsNames":["cpe.example.net"]}"""
                        .formatted(name, name)))
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isCreated());
    return name;
  }

  /**
   * A device the inventory (SC) created in that tenant, announced as sc-service does; returns its
   * id once pki-service has registered its end entity.
   */
  public static String inventoryDevice(JdbcClient jdbc, String tenant, String serial) {
    UUID id = UUID.randomUUID();
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc-service/devices",
            tenant,
            id.toString(),
            new DeviceCreated(id, serial, "model", "name", Instant.now())));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql("select count(*) from end_entity where name = ? and status = 'ACTIVE'")
                        .param(id.toString())
                        .query(Long.class)
                        .single()
                    == 1);
    return id.toString();
  }

  /** Publishes an inventory event about a device, keyed by it, as sc-service does. */
  public static void inventoryEvent(String tenant, String device, Object payload) {
    TestEvents.publish(
        Topics.SC_DEVICES, EventEnvelope.of("/sc-service/devices", tenant, device, payload));
  }

  /** The bearer header of a new API key of that tenant with that role. */
  public static String operatorOf(ApiKeys keys, String tenant, Role role) {
    String key = ApiKeys.generate();
    keys.upsert(UUID.randomUUID(), tenant, "test", ApiKeys.hash(key), role, Instant.now(), null);
    return "Bearer " + key;
  }

  public static JsonNode issue(MockMvc mvc, String entity, String csrPem) throws Exception {
    String body =
        mvc.perform(
                post("/api/v1/end-entities/" + entity + "/certificates")
                    .header("Authorization", ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(json.writeValueAsString(java.util.Map.of("csr", csrPem))))
            .andExpect(
                org.springframework.test.web.servlet.result.MockMvcResultMatchers.status()
                    .isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body);
  }

  public static List<X509Certificate> certificates(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .stream()
        .map(X509Certificate.class::cast)
        .toList();
  }

  /** Runs openssl; returns its combined output, asserting it ran within a minute. */
  public static Result openssl(Path dir, String... args) throws Exception {
    var command = new java.util.ArrayList<String>();
    command.add("/usr/bin/openssl");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
  }

  public static Path write(Path dir, String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  public record Result(int exit, String output) {}
}
