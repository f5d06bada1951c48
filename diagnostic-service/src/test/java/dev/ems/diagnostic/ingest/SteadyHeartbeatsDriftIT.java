package dev.ems.diagnostic.ingest;

import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import dev.ems.diagnostic.health.DeviceRecord;
import dev.ems.diagnostic.health.DeviceStates;
import dev.ems.diagnostic.health.model.ConfigState;
import dev.ems.diagnostic.health.model.HeartbeatFold;
import dev.ems.diagnostic.system.DiagnosticProperties;
import dev.ems.embedded.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fast path's SQL decides "the running bundle changes nothing" on its own; it must agree with
 * {@link ConfigState#running} in every case, or a drift would be missed (or a steady heartbeat
 * slowed down).
 */
@DiagnosticIntegrationTest
class SteadyHeartbeatsDriftIT {

  static final String A = "a4".repeat(32);
  static final String B = "b5".repeat(32);
  static final String X = "e6".repeat(32);

  @Autowired MockMvc mvc;
  @Autowired SteadyHeartbeats steady;
  @Autowired DeviceStates states;
  @Autowired DiagnosticProperties properties;
  @Autowired TransactionTemplate tx;

  record Case(String name, UUID device, String sha, Instant at, boolean steady) {}

  @Test
  void theFastPathTakesAHeartbeatExactlyWhenItsRunningBundleChangesNothing() throws Exception {
    Instant t = TestClock.now();
    UUID runsPublished = online(t, A, null);
    UUID drifted = online(t, X, null);
    UUID appliedElsewhere = online(t, A, null);
    report(appliedElsewhere, 2, B, t.plusSeconds(10));
    await().atMost(WAIT).until(() -> config(appliedElsewhere).appliedVersion() != null);
    UUID withoutSha = online(t, A, null);
    UUID oldAgent = online(t, null, null);
    UUID nothingPublished = online(t, X, "no-config");

    List<Case> cases =
        List.of(
            new Case("same expected bundle", runsPublished, A, t.plusSeconds(20), true),
            new Case("still the same drift", drifted, X, t.plusSeconds(20), true),
            new Case("drift ends", drifted, A, t.plusSeconds(20), false),
            new Case("other bundle applied since", appliedElsewhere, A, t.plusSeconds(20), false),
            new Case("received before that report", appliedElsewhere, A, t.plusSeconds(5), true),
            new Case("stops naming its bundle", withoutSha, null, t.plusSeconds(20), false),
            new Case("never named one", oldAgent, null, t.plusSeconds(20), true),
            new Case("starts naming one", oldAgent, A, t.plusSeconds(20), false),
            new Case("nothing to compare", nothingPublished, X, t.plusSeconds(20), true));
    for (Case c : cases) {
      ConfigState before = config(c.device());
      boolean javaSaysSteady = before.running(c.sha(), c.at()).equals(before);
      assertThat(javaSaysSteady).as(c.name() + " (model)").isEqualTo(c.steady());
      // touch in a rolled-back transaction so that every case starts from the same stored row
      Map<UUID, Boolean> touched = touchAndRollBack(c);
      assertThat(touched.containsKey(c.device())).as(c.name() + " (SQL)").isEqualTo(c.steady());
    }
  }

  private Map<UUID, Boolean> touchAndRollBack(Case c) {
    return tx.execute(
        status -> {
          HeartbeatReceived plain =
              Fixtures.heartbeat(c.device(), c.at(), Map.of("ems-mgmt", "ESTABLISHED"));
          var event = Fixtures.event(c.device(), withSha(plain, c.sha()));
          var result =
              steady.touch(
                  List.of(event),
                  TestClock.now(),
                  properties.offlineAfter(),
                  properties.metricsSampleInterval(),
                  properties.clockSkewThreshold());
          status.setRollbackOnly();
          return result;
        });
  }

  /** A device ONLINE since {@code t} whose last heartbeat named {@code sha}; A published. */
  private UUID online(Instant t, String sha, String noConfig) {
    UUID device = Fixtures.device(mvc);
    if (noConfig == null) {
      TestEvents.publish(
          Topics.SC_CONFIGS,
          Fixtures.event(
              device,
              new ConfigPublished(
                  device, 1, A, List.of(), UUID.randomUUID(), Instant.now(), null)));
      await().atMost(WAIT).until(() -> config(device).desiredVersion() != null);
    }
    HeartbeatReceived plain = Fixtures.heartbeat(device, t, Map.of("ems-mgmt", "ESTABLISHED"));
    Fixtures.send(Fixtures.event(device, withSha(plain, sha)));
    await()
        .atMost(WAIT)
        .until(() -> record(device, r -> HeartbeatFold.received(plain).equals(lastSeen(r))));
    return device;
  }

  private static Instant lastSeen(DeviceRecord r) {
    return r.state().lastSeen();
  }

  private boolean record(UUID device, Predicate<DeviceRecord> test) {
    return states.find(Fixtures.TENANT, device).filter(test).isPresent();
  }

  private ConfigState config(UUID device) {
    return states.find(Fixtures.TENANT, device).orElseThrow().state().config();
  }

  private static HeartbeatReceived withSha(HeartbeatReceived hb, String sha) {
    return new HeartbeatReceived(
        hb.deviceId(),
        hb.sentAt(),
        hb.receivedAt(),
        hb.uptimeSeconds(),
        hb.firmware(),
        hb.tunnels(),
        sha);
  }

  private static void report(UUID device, int version, String sha, Instant at) {
    TestEvents.publish(
        Topics.SC_CONFIGS,
        Fixtures.event(
            device,
            new ConfigPublished(
                device, version, sha, List.of(), UUID.randomUUID(), Instant.now(), null)));
    TestEvents.publish(
        Topics.DEVICE_REPORTS,
        new EventEnvelope<>(
            UUID.randomUUID().toString(),
            EventEnvelope.typeOf(ConfigStatusReported.class),
            "/device-api",
            at,
            device.toString(),
            Fixtures.TENANT,
            new ConfigStatusReported(device, version, sha, "APPLIED", null, at)));
  }
}
