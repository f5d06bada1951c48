package dev.ems.sc.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static MaintenanceWindow window(Set<DayOfWeek> days, String start, int minutes) {
    return new MaintenanceWindow(days, LocalTime.parse(start), Duration.ofMinutes(minutes), BERLIN);
  }

  @Test
  void opensAtTheNextDayAndTimeInTheSitesZone() {
    var w = window(EnumSet.of(DayOfWeek.TUESDAY), "02:00", 120);
    // Monday 1 December 2026, 12:00 UTC; Berlin is UTC+1 in winter
    assertThat(w.nextOpening(Instant.parse("2026-11-30T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-12-01T01:00:00Z"));
  }

  @Test
  void anOpenWindowOpensNow() {
    var w = window(EnumSet.of(DayOfWeek.TUESDAY), "02:00", 120);
    Instant inside = Instant.parse("2026-12-01T02:59:59Z");
    assertThat(w.nextOpening(inside)).isEqualTo(inside);
    assertThat(w.isOpen(inside)).isTrue();
    // at its end the window is closed and next opens a week later
    assertThat(w.nextOpening(Instant.parse("2026-12-01T03:00:00Z")))
        .isEqualTo(Instant.parse("2026-12-08T01:00:00Z"));
  }

  @Test
  void aWindowThatOpenedYesterdayIsStillOpenAfterMidnight() {
    var w = window(EnumSet.of(DayOfWeek.MONDAY), "23:00", 180);
    // Tuesday 00:30 Berlin
    Instant tuesday = Instant.parse("2026-11-30T23:30:00Z");
    assertThat(w.isOpen(tuesday)).isTrue();
  }

  @Test
  void aStartInTheSpringForwardGapOpensAfterTheGap() {
    // Berlin skips 02:00-03:00 on Sunday 29 March 2026
    var w = window(EnumSet.of(DayOfWeek.SUNDAY), "02:30", 60);
    assertThat(w.nextOpening(Instant.parse("2026-03-28T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
  }

  @Test
  void aStartInTheFallBackOverlapOpensAtItsFirstOccurrence() {
    // Berlin runs 02:00-03:00 twice on Sunday 25 October 2026
    var w = window(EnumSet.of(DayOfWeek.SUNDAY), "02:30", 60);
    assertThat(w.nextOpening(Instant.parse("2026-10-24T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST, not 02:30 CET
  }

  @Test
  void aWindowAcrossTheDstChangeLastsItsRealDuration() {
    // opens 01:00 CET (00:00 UTC) on 29 March, lasts three real hours though the clock jumps
    var w = window(EnumSet.allOf(DayOfWeek.class), "01:00", 180);
    assertThat(w.isOpen(Instant.parse("2026-03-29T02:59:00Z"))).isTrue();
    assertThat(w.isOpen(Instant.parse("2026-03-29T03:00:00Z"))).isFalse();
    // the next night it opens at 01:00 CEST, an hour earlier in UTC
    assertThat(w.nextOpening(Instant.parse("2026-03-29T03:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-29T23:00:00Z"));
  }

  @Test
  void aWindowThatNeverOpensIsRefused() {
    assertThatThrownBy(() -> window(Set.of(), "02:00", 60))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window(EnumSet.of(DayOfWeek.MONDAY), "02:00", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window(EnumSet.of(DayOfWeek.MONDAY), "02:00", 1441))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
