package dev.ems.sc.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeZonesTests {

  @Test
  void derivesPosixStringsFromTheZonesRules() {
    assertThat(TimeZones.posix("Europe/Berlin")).hasValue("CET-1CEST,M3.5.0,M10.5.0/3");
    assertThat(TimeZones.posix("Europe/London")).hasValue("GMT0BST,M3.5.0/1,M10.5.0");
    assertThat(TimeZones.posix("America/New_York")).hasValue("EST5EDT,M3.2.0,M11.1.0");
    assertThat(TimeZones.posix("Australia/Sydney")).hasValue("AEST-10AEDT,M10.1.0,M4.1.0/3");
    assertThat(TimeZones.posix("Asia/Tokyo")).hasValue("JST-9");
    assertThat(TimeZones.posix("Asia/Kolkata")).hasValue("IST-5:30");
    assertThat(TimeZones.posix("Asia/Dubai")).hasValue("<+04>-4");
    assertThat(TimeZones.posix("UTC")).hasValue("UTC0");
    // "Friday on or after 23 March at 02:00" as tzdata writes it
    assertThat(TimeZones.posix("Asia/Jerusalem")).hasValue("IST-2IDT,M3.4.4/26,M10.5.0");
    assertThat(TimeZones.posix("America/Santiago")).hasValue("<-04>4<-03>,M9.1.6/24,M4.1.6/24");
    assertThat(TimeZones.posix("Mars/Olympus")).isEmpty();
    assertThat(TimeZones.posix("+01:00")).isEmpty();
  }

  @Test
  void anIanaNameGivenAsTimezoneIsTheZoneName() {
    assertThat(TimeZones.resolve("Europe/Berlin", null))
        .isEqualTo(new TimeZones.Setting("Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"));
    assertThat(TimeZones.resolve(null, "Europe/Berlin"))
        .isEqualTo(new TimeZones.Setting("Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"));
    assertThat(TimeZones.resolve("", "")).isEqualTo(new TimeZones.Setting("UTC", "UTC0"));
    assertThat(TimeZones.resolve("CET-1CEST,M3.5.0,M10.5.0/3", null))
        .isEqualTo(new TimeZones.Setting(null, "CET-1CEST,M3.5.0,M10.5.0/3"));
    assertThat(TimeZones.resolve("<+04>-4", "Asia/Dubai"))
        .isEqualTo(new TimeZones.Setting("Asia/Dubai", "<+04>-4"));
  }

  @Test
  void unknownZonesNameTheVariableAtFault() {
    assertThatThrownBy(() -> TimeZones.resolve(null, "Mars/Olympus"))
        .isInstanceOfSatisfying(
            TimeZones.Unknown.class, e -> assertThat(e.variable()).isEqualTo("zonename"));
    assertThatThrownBy(() -> TimeZones.resolve("[a, b]", null))
        .isInstanceOfSatisfying(
            TimeZones.Unknown.class, e -> assertThat(e.variable()).isEqualTo("timezone"));
    assertThatThrownBy(() -> TimeZones.resolve("Mars/Olympus", "Europe/Berlin"))
        .isInstanceOfSatisfying(
            TimeZones.Unknown.class, e -> assertThat(e.variable()).isEqualTo("timezone"));
  }
}
