package dev.ems.sc.template;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * OpenWrt's two time zone options (plain Java): {@code zonename}, an IANA name, and {@code
 * timezone}, the POSIX TZ string the C library reads, derived from the zone's current rules in
 * java.time. An IANA name given as {@code timezone} is taken as the zone name, as EMS always
 * accepted it there.
 */
final class TimeZones {

  /**
   * The variables as OpenWrt wants them; {@code zonename} is null when only a POSIX string is
   * known.
   */
  record Setting(String zonename, String timezone) {}

  /** A value that names no zone; {@code variable} is the one at fault. */
  static final class Unknown extends IllegalArgumentException {
    private final String variable;

    Unknown(String variable, String message) {
      super(message);
      this.variable = variable;
    }

    String variable() {
      return variable;
    }
  }

  private static final String NAME = "(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)";
  private static final String OFFSET = "[+-]?\\d{1,3}(?::\\d{2}){0,2}";
  private static final String DATE = "(?:M\\d{1,2}\\.\\d\\.\\d|J?\\d{1,3})(?:/" + OFFSET + ")?";
  private static final Pattern POSIX =
      Pattern.compile(
          NAME + OFFSET + "(?:" + NAME + "(?:" + OFFSET + ")?(?:," + DATE + "," + DATE + ")?)?");
  private static final Pattern ABBREVIATION = Pattern.compile("[A-Za-z]{3,6}");

  private TimeZones() {}

  /**
   * What {@code zonename} and {@code timezone} (either may be null or blank) come to; UTC when both
   * are missing. A POSIX {@code timezone} is kept as written.
   */
  static Setting resolve(String timezone, String zonename) {
    boolean hasZone = zonename != null && !zonename.isBlank();
    boolean hasTimezone = timezone != null && !timezone.isBlank();
    if (hasZone) {
      String posix = posix(zonename).orElseThrow(() -> unknown("zonename", zonename));
      return new Setting(
          zonename, hasTimezone && isPosix(timezone) ? timezone : check(timezone, posix));
    }
    if (!hasTimezone) {
      return new Setting("UTC", "UTC0");
    }
    if (isZone(timezone)) {
      return new Setting(
          timezone, posix(timezone).orElseThrow(() -> unknown("timezone", timezone)));
    }
    if (isPosix(timezone)) {
      return new Setting(null, timezone);
    }
    throw unknown("timezone", timezone);
  }

  /** With a zone name given, {@code timezone} may only repeat a zone name or be POSIX. */
  private static String check(String timezone, String posix) {
    if (timezone != null && !timezone.isBlank() && !isZone(timezone)) {
      throw unknown("timezone", timezone);
    }
    return posix;
  }

  /**
   * The zone ids, read once: {@link ZoneId#getAvailableZoneIds()} copies ~600 ids into a new set on
   * every call, which was 4 % of sc-service's CPU on the config-request path (issue 20).
   */
  private static final java.util.Set<String> ZONES =
      java.util.Set.copyOf(ZoneId.getAvailableZoneIds());

  /** The POSIX strings of the zones asked for so far (bounded by the zone ids). */
  private static final java.util.Map<String, Optional<String>> POSIX_OF =
      new java.util.concurrent.ConcurrentHashMap<>();

  static boolean isZone(String name) {
    return ZONES.contains(name);
  }

  static boolean isPosix(String value) {
    return value.length() <= 64 && POSIX.matcher(value).matches();
  }

  /** The POSIX TZ string of an IANA zone, when its rules can be written as one. */
  static Optional<String> posix(String zone) {
    if (!isZone(zone)) {
      return Optional.empty();
    }
    return POSIX_OF.computeIfAbsent(zone, TimeZones::posixOfZone);
  }

  private static Optional<String> posixOfZone(String zone) {
    ZoneRules rules = ZoneId.of(zone).getRules();
    TimeZone names = TimeZone.getTimeZone(zone);
    List<ZoneOffsetTransitionRule> transitions = rules.getTransitionRules();
    if (transitions.size() != 2) {
      ZoneOffset now = rules.getOffset(Instant.now());
      return Optional.of(name(names, false, now) + offset(now));
    }
    ZoneOffsetTransitionRule start = transitions.get(0);
    ZoneOffsetTransitionRule end = transitions.get(1);
    if (start.getOffsetAfter().getTotalSeconds() < start.getOffsetBefore().getTotalSeconds()) {
      var swap = start;
      start = end;
      end = swap;
    }
    ZoneOffset standard = start.getOffsetBefore();
    ZoneOffset daylight = start.getOffsetAfter();
    Optional<String> from = date(start);
    Optional<String> to = date(end);
    if (from.isEmpty() || to.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder tz = new StringBuilder(name(names, false, standard)).append(offset(standard));
    tz.append(name(names, true, daylight));
    if (daylight.getTotalSeconds() - standard.getTotalSeconds() != 3600) {
      tz.append(offset(daylight));
    }
    return Optional.of(tz.append(',').append(from.get()).append(',').append(to.get()).toString());
  }

  /** {@code Mm.w.d[/time]} or {@code Jn[/time]}, time as wall clock before the transition. */
  private static Optional<String> date(ZoneOffsetTransitionRule rule) {
    Month month = rule.getMonth();
    int day = rule.getDayOfMonthIndicator();
    int seconds = rule.getLocalTime().toSecondOfDay() + (rule.isMidnightEndOfDay() ? 86_400 : 0);
    seconds +=
        switch (rule.getTimeDefinition()) {
          case UTC -> rule.getOffsetBefore().getTotalSeconds();
          case STANDARD ->
              rule.getOffsetBefore().getTotalSeconds() - rule.getStandardOffset().getTotalSeconds();
          case WALL -> 0;
        };
    String when;
    if (rule.getDayOfWeek() == null) {
      if (day < 1) {
        return Optional.empty();
      }
      when = "J" + LocalDate.of(2001, month, day).getDayOfYear();
    } else {
      int weekday = rule.getDayOfWeek().getValue() % 7;
      if (day == -1 || day > 0 && day + 6 == month.length(false)) {
        when = "M" + month.getValue() + ".5." + weekday;
      } else if (day > 0 && day <= 28) {
        // "weekday on or after day d" = the day before it on or after d - 1, a day later
        int shift = (day - 1) % 7;
        when =
            "M"
                + month.getValue()
                + "."
                + ((day - 1) / 7 + 1)
                + "."
                + Math.floorMod(weekday - shift, 7);
        seconds += shift * 86_400;
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(seconds == 7200 ? when : when + "/" + clock(seconds));
  }

  private static String name(TimeZone names, boolean daylight, ZoneOffset offset) {
    String name = names.getDisplayName(daylight, TimeZone.SHORT, Locale.US);
    if (ABBREVIATION.matcher(name).matches()) {
      return name;
    }
    // as tzdata names zones without an abbreviation: the offset, e.g. <+04>, <-0330>
    int total = offset.getTotalSeconds();
    int minutes = Math.abs(total) / 60;
    String text =
        (total < 0 ? "-" : "+")
            + "%02d".formatted(minutes / 60)
            + (minutes % 60 == 0 ? "" : "%02d".formatted(minutes % 60));
    return "<" + text + ">";
  }

  /** POSIX counts west of Greenwich as positive. */
  private static String offset(ZoneOffset offset) {
    int total = -offset.getTotalSeconds();
    return (total < 0 ? "-" : "") + clock(Math.abs(total));
  }

  private static String clock(int seconds) {
    String sign = seconds < 0 ? "-" : "";
    int s = Math.abs(seconds);
    String text = sign + s / 3600;
    if (s % 3600 != 0) {
      text += ":%02d".formatted(s % 3600 / 60);
      if (s % 60 != 0) {
        text += ":%02d".formatted(s % 60);
      }
    }
    return text;
  }

  private static Unknown unknown(String variable, String value) {
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    String zone =
        "an IANA time zone name (e.g. Europe/Berlin) whose rules a POSIX TZ string can express";
    return new Unknown(
        variable,
        "timezone".equals(variable)
            ? "'" + shown + "' is neither " + zone + " nor a POSIX TZ string"
            : "'" + shown + "' is not " + zone);
  }
}
