package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A bundle whose {@code ConfigPublished} would exceed Kafka's record limit ends FAILED at
 * generation with code {@code bundle-too-large} and a reason naming both sizes, and no version; one
 * just under the limit is COMPLETED and really delivered through the embedded broker (issue 16).
 * The render limit is raised here so that the record limit is the one met.
 */
@SpringBootTest(
    properties = "spring.kafka.producer.properties.max.request.size=" + LargeBundleIT.LIMIT)
class LargeBundleIT {

  private static final Pattern SIZE = Pattern.compile("a Kafka record of (\\d+) bytes");
  static final long LIMIT = 16_384;

  @Autowired ConfigGenerationService generation;
  @Autowired ConfigRequestRepository requests;
  @Autowired JdbcClient jdbc;

  @Test
  void aBundleJustOverTheRecordLimitFailsWithTheReasonAndOneJustUnderIsDelivered() {
    // a first render warms the template engine: its time budget is wall-clock
    assertThat(process(insertDevice(), 10).status()).isEqualTo(ConfigRequest.Status.COMPLETED);
    UUID deviceId = insertDevice();

    ConfigRequest probe = process(deviceId, 20_000);
    assertThat(probe.status()).isEqualTo(ConfigRequest.Status.FAILED);
    assertThat(probe.failureCode()).as(probe.failureReason()).isEqualTo("bundle-too-large");
    assertThat(probe.failureReason()).contains("more than the record limit of " + LIMIT + " bytes");
    Matcher size = SIZE.matcher(probe.failureReason());
    assertThat(size.find()).isTrue();
    long over = Long.parseLong(size.group(1)) - LIMIT;
    assertThat(versions(deviceId)).isZero();

    // timestamps and the signature vary by a few bytes between renders: 64 bytes either side
    int fits = 20_000 - (int) over - 64;
    assertThat(fits).isGreaterThan(8_000);
    ConfigRequest under = process(deviceId, fits);
    assertThat(under.status()).isEqualTo(ConfigRequest.Status.COMPLETED);
    var delivered =
        TestEvents.awaitEvent(
            Topics.SC_CONFIGS,
            ConfigPublished.class,
            e -> e.payload().deviceId().equals(deviceId),
            Duration.ofSeconds(60));
    assertThat(delivered.payload().version()).isEqualTo(1);
    assertThat(delivered.payload().files()).anyMatch(f -> f.content().length() > 8_000);

    ConfigRequest above = process(deviceId, fits + 128);
    assertThat(above.status()).isEqualTo(ConfigRequest.Status.FAILED);
    assertThat(above.failureCode()).isEqualTo("bundle-too-large");
    assertThat(versions(deviceId)).isEqualTo(1);
    assertThat(
            jdbc.sql("select count(*) from outbox_event where failed_at is not null")
                .query(Integer.class)
                .single())
        .isZero();
  }

  private ConfigRequest process(UUID deviceId, int length) {
    var request =
        new ConfigRequest(
            "default",
            deviceId,
            "{\"syslog_server\":\"" + "x".repeat(length) + "\"}",
            null,
            "test");
    requests.saveAndFlush(request);
    generation.process(request.id());
    return requests.findById(request.id()).orElseThrow();
  }

  private int versions(UUID deviceId) {
    return jdbc.sql("select count(*) from config_version where device_id = ?")
        .param(deviceId)
        .query(Integer.class)
        .single();
  }

  private UUID insertDevice() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into device (id, tenant_id, serial, model, name, bootstrap_token_hash,"
                + " created_at, updated_at) values (?, 'default', ?, 'm', 'n', 'h', now(), now())")
        .params(id, "SN-" + id)
        .update();
    return id;
  }
}
