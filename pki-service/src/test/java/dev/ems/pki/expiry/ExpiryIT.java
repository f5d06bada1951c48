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

  /**
   * A certificate is announced once it is inside the last tenth of its lifetime (not by a fixed
   * window: a 30-day certificate is not expiring the day it is issued), exactly once; one with more
   * than a tenth left is not (issue 18).
   */
  @Test
  void aCertificateInItsLastTenthIsAnnouncedExactlyOnce() throws Exception {
    String lastTenth = entity("device-short");
    String renewDue = entity("device-short");
    String fresh = entity("device-short");
    String soon = issue(mvc, lastTenth, TestCsrs.p256("CN=a")).get("serial").asString();
    String notYet = issue(mvc, renewDue, TestCsrs.p256("CN=b")).get("serial").asString();
    String justIssued = issue(mvc, fresh, TestCsrs.p256("CN=c")).get("serial").asString();
    // 100 minutes of lifetime: 5 left (the last tenth), 15 left (past two thirds, not the tenth)
    lifetime(soon, 95, 5);
    lifetime(notYet, 85, 15);

    mvc.perform(
            get("/api/v1/certificates")
                .param("expiringWithin", "PT10M")
                .param("entity", lastTenth)
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(1))
        .andExpect(jsonPath("$[0].serial").value(soon));

    assertThat(watcher.announce()).isPositive();
    assertThat(watcher.announce()).isZero();
    var event =
        TestEvents.awaitEvent(
            Topics.PKI_CERTIFICATES,
            CertificateExpiring.class,
            e -> e.payload().serialNumber().equals(soon),
            Duration.ofSeconds(30));
    assertThat(event.payload().deviceId()).isEqualTo(UUID.fromString(lastTenth));
    var all =
        TestEvents.read(Topics.PKI_CERTIFICATES, r -> false, Duration.ofSeconds(3)).stream()
            .filter(
                r -> r.key().equals(lastTenth) || r.key().equals(renewDue) || r.key().equals(fresh))
            .filter(
                r ->
                    new String(r.headers().lastHeader("ce_type").value())
                        .endsWith("CertificateExpiring"))
            .count();
    assertThat(all).isEqualTo(1);
    assertThat(
            jdbc.sql(
                    "select count(*) from certificate where serial in (?, ?)"
                        + " and expiry_announced_at is null")
                .params(notYet, justIssued)
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  /** Moves the certificate's validity so that it began and ends that many minutes from now. */
  private void lifetime(String serial, int minutesAgo, int minutesLeft) {
    jdbc.sql(
            "update certificate set not_before = now() - make_interval(mins => ?),"
                + " not_after = now() + make_interval(mins => ?) where serial = ?")
        .params(minutesAgo, minutesLeft, serial)
        .update();
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
