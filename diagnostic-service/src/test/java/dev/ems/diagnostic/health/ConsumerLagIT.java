package dev.ems.diagnostic.health;

import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Silence is measured against what has been consumed, not wall time: while the telemetry consumer
 * is stopped, no device turns OFFLINE, however far the clock moves; once it has caught up, the
 * silent one does and the one whose heartbeat was waiting in Kafka does not.
 */
@DiagnosticIntegrationTest
class ConsumerLagIT {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired KafkaListenerEndpointRegistry registry;

  @Test
  void aConsumerThatIsBehindMarksNoDeviceOffline() throws Exception {
    UUID waiting = Fixtures.device(mvc);
    UUID silent = Fixtures.device(mvc);
    Instant t = TestClock.now();
    Fixtures.heartbeat(waiting, t, "ESTABLISHED");
    Fixtures.heartbeat(silent, t, "ESTABLISHED");
    await().atMost(WAIT).until(() -> online(waiting) && online(silent));

    MessageListenerContainer telemetry = registry.getListenerContainer("telemetry");
    telemetry.pause();
    try {
      await().atMost(WAIT).until(telemetry::isContainerPaused);
      Fixtures.heartbeat(waiting, t.plusSeconds(80), "ESTABLISHED"); // stays in Kafka for now
      TestClock.advance(Duration.ofSeconds(100)); // 100 s of silence > 90 s by the wall clock
      Thread.sleep(2_000); // ten sweeps and idle checks of the paused consumer

      assertThat(connectivity(waiting)).isEqualTo("ONLINE");
      assertThat(connectivity(silent)).isEqualTo("ONLINE");
    } finally {
      telemetry.resume();
    }

    await().atMost(WAIT).until(() -> "OFFLINE".equals(connectivity(silent)));
    assertThat(connectivity(waiting)).isEqualTo("ONLINE");
    assertThat(
            jdbc.sql("select count(*) from alert where device_id = ? and condition = 'OFFLINE'")
                .param(waiting)
                .query(Long.class)
                .single())
        .isZero();
  }

  private boolean online(UUID device) {
    return "ONLINE".equals(connectivity(device));
  }

  private String connectivity(UUID device) {
    return jdbc.sql("select connectivity from device_health where device_id = ?")
        .param(device)
        .query(String.class)
        .single();
  }
}
