package dev.ems.pki.expiry;

import static dev.ems.pki.PkiTestSupport.ADMIN;
import static dev.ems.pki.PkiTestSupport.issue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.CertificateExpiring;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.pki.TestCsrs;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
class ExpiryIT {

  @Autowired MockMvc mvc;
  @Autowired ExpiryWatcher watcher;
  @Autowired JdbcClient jdbc;

  @Test
  void certificateInsideTheWindowIsListedAndAnnouncedExactlyOnce() throws Exception {
    String shortLived = entity("device-short"); // P30D, inside the P30D window from the start
    String longLived = entity("device");
    String soon = issue(mvc, shortLived, TestCsrs.p256("CN=a")).get("serial").asString();
    String later = issue(mvc, longLived, TestCsrs.p256("CN=b")).get("serial").asString();

    mvc.perform(
            get("/api/v1/certificates")
                .param("expiringWithin", "P31D")
                .param("entity", shortLived)
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(1))
        .andExpect(jsonPath("$[0].serial").value(soon));
    mvc.perform(
            get("/api/v1/certificates")
                .param("expiringWithin", "P31D")
                .param("entity", longLived)
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(0));

    assertThat(watcher.announce()).isPositive();
    assertThat(watcher.announce()).isZero();
    var event =
        TestEvents.awaitEvent(
            Topics.PKI_CERTIFICATES,
            CertificateExpiring.class,
            e -> e.payload().serialNumber().equals(soon),
            Duration.ofSeconds(30));
    assertThat(event.payload().deviceId()).isEqualTo(UUID.fromString(shortLived));
    var all =
        TestEvents.read(Topics.PKI_CERTIFICATES, r -> false, Duration.ofSeconds(3)).stream()
            .filter(r -> r.key().equals(shortLived) || r.key().equals(longLived))
            .filter(
                r ->
                    new String(r.headers().lastHeader("ce_type").value())
                        .endsWith("CertificateExpiring"))
            .count();
    assertThat(all).isEqualTo(1);
    assertThat(
            jdbc.sql("select expiry_announced_at is null from certificate where serial = ?")
                .param(later)
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  private String entity(String profile) throws Exception {
    String name = UUID.randomUUID().toString();
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"%s\",\"subjectDn\":\"CN=%s\",\"certificateProfile\":\"%s\"}"
                        .formatted(name, name, profile)))
        .andExpect(status().isCreated());
    return name;
  }
}
