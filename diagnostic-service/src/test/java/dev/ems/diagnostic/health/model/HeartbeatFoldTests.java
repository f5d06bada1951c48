package dev.ems.diagnostic.health.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.TunnelStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatFoldTests {

  static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
  static final Duration SKEW = Duration.ofSeconds(30);

  static HeartbeatReceived hb(Instant sent, Instant received, String mgmt) {
    return new HeartbeatReceived(
        null,
        sent,
        received,
        1,
        "fw",
        List.of(new TunnelStatus("ems-mgmt", mgmt, 0, 0, 0, 0, T)),
        null);
  }

  @Test
  void firstHeartbeatBringsTheDeviceOnlineAndRecordsTheTunnelAppearing() {
    var r = HeartbeatFold.apply(DeviceState.unknown(), hb(T, T, "ESTABLISHED"), SKEW);
    assertThat(r.stale()).isFalse();
    assertThat(r.state().connectivity()).isEqualTo(Connectivity.ONLINE);
    assertThat(r.state().lastSeen()).isEqualTo(T);
    assertThat(r.changes())
        .containsExactly(new TunnelChange("ems-mgmt", "ABSENT", "ESTABLISHED", T));
  }

  @Test
  void duplicateAndOlderHeartbeatsAreStaleAndChangeNothing() {
    DeviceState s =
        HeartbeatFold.apply(DeviceState.unknown(), hb(T, T, "ESTABLISHED"), SKEW).state();
    var dup = HeartbeatFold.apply(s, hb(T, T, "DOWN"), SKEW);
    var older = HeartbeatFold.apply(s, hb(T, T.minusSeconds(60), "DOWN"), SKEW);
    assertThat(dup.stale()).isTrue();
    assertThat(dup.state()).isEqualTo(s);
    assertThat(older.stale()).isTrue();
    assertThat(older.state()).isEqualTo(s);
  }

  @Test
  void aRedeliveryIsStaleEvenWithNanosecondsTheDatabaseDoesNotKeep() {
    Instant precise = T.plusNanos(123_456_789);
    DeviceState s =
        HeartbeatFold.apply(DeviceState.unknown(), hb(precise, precise, "ESTABLISHED"), SKEW)
            .state();
    assertThat(s.lastSeen()).isEqualTo(T.plusNanos(123_456_000));
    assertThat(HeartbeatFold.apply(s, hb(precise, precise, "DOWN"), SKEW).stale()).isTrue();
  }

  @Test
  void onlyStateChangesAreRecorded() {
    DeviceState s =
        HeartbeatFold.apply(DeviceState.unknown(), hb(T, T, "ESTABLISHED"), SKEW).state();
    Instant t2 = T.plusSeconds(60);
    assertThat(HeartbeatFold.apply(s, hb(t2, t2, "ESTABLISHED"), SKEW).changes()).isEmpty();
    assertThat(HeartbeatFold.apply(s, hb(t2, t2, "DOWN"), SKEW).changes())
        .containsExactly(new TunnelChange("ems-mgmt", "ESTABLISHED", "DOWN", t2));
  }

  @Test
  void aDeviceClockBeyondTheThresholdIsFlaggedButReceivedAtStillOrders() {
    Instant sent = T.plusSeconds(600);
    var r = HeartbeatFold.apply(DeviceState.unknown(), hb(sent, T, "ESTABLISHED"), SKEW);
    assertThat(r.skewed()).isTrue();
    assertThat(r.state().clockSkewSeconds()).isEqualTo(600L);
    assertThat(r.state().lastSeen()).isEqualTo(T);
    assertThat(HealthRules.derive(r.state()).conditions()).containsExactly("CLOCK_SKEW");
    var ok =
        HeartbeatFold.apply(
            r.state(), hb(T.plusSeconds(70), T.plusSeconds(60), "ESTABLISHED"), SKEW);
    assertThat(ok.skewed()).isFalse();
    assertThat(ok.state().clockSkewSeconds()).isNull();
  }
}
