package io.pitrconsole.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way times are read from people and shown to them. Reading accepts what PostgreSQL
 * accepts for a timestamptz that a DBA would type: a date, optionally a clock time with fractions
 * to the microsecond, and optionally a zone (an offset, Z in either case, UTC, or a named zone such
 * as Europe/Berlin, CET or EST). Showing is ISO-like, always with an explicit numeric offset and no
 * space before it.
 */
public final class Timestamps {
    private static final Pattern TIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ Tt](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d+))?)?)?\\s*(\\S+)?");
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{1,2})(?::?(\\d{2}))?");
    /**
     * Zone abbreviations as PostgreSQL's Default set reads them: fixed offsets, tried before zone
     * names (so CET is +01 even in July, as the server would take it).
     */
    private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(Map.entry("Z", "Z"), Map.entry("UTC", "Z"),
            Map.entry("UT", "Z"), Map.entry("GMT", "Z"), Map.entry("WET", "Z"), Map.entry("WEST", "+01:00"),
            Map.entry("BST", "+01:00"), Map.entry("CET", "+01:00"), Map.entry("CEST", "+02:00"), Map.entry("EET", "+02:00"),
            Map.entry("EEST", "+03:00"), Map.entry("MSK", "+03:00"), Map.entry("EST", "-05:00"), Map.entry("EDT", "-04:00"),
            Map.entry("CST", "-06:00"), Map.entry("CDT", "-05:00"), Map.entry("MST", "-07:00"), Map.entry("MDT", "-06:00"),
            Map.entry("PST", "-08:00"), Map.entry("PDT", "-07:00"), Map.entry("JST", "+09:00"));
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final String FORMAT_HINT = "write it like 2026-11-25 14:03:00, optionally with fractions to the microsecond"
            + " and a zone (+01, +01:00, Z, UTC or a name such as Europe/Berlin); a date alone means its midnight";

    private Timestamps() {
    }

    /** Reads a time as typed; a time without a zone is read in defaultZone. */
    public static OffsetDateTime parse(String text, ZoneId defaultZone) {
        String t = text == null ? "" : text.trim();
        Matcher m = TIME.matcher(t);
        if (!m.matches()) {
            throw new PitrException("cannot read '" + t + "' as a time", FORMAT_HINT);
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(m.group(1)), field(t, "date", "month", m.group(2), 1, 12), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw new PitrException("'" + t + "' is not a valid date: " + e.getMessage(), "check the day of the month");
        }
        LocalTime clock = LocalTime.MIDNIGHT;
        if (m.group(4) != null) {
            int hour = field(t, "time of day", "hour", m.group(4), 0, 23);
            int minute = field(t, "time of day", "minute", m.group(5), 0, 59);
            int second = m.group(6) == null ? 0 : field(t, "time of day", "second", m.group(6), 0, 59);
            clock = LocalTime.of(hour, minute, second, nanos(t, m.group(7)));
        }
        ZoneId zone = m.group(8) == null ? defaultZone : zone(m.group(8));
        return ZonedDateTime.of(date, clock, zone).toOffsetDateTime();
    }

    /** To the second, in the system's zone: 2026-11-25 14:03:00+01:00. */
    public static String seconds(Instant t) {
        return t == null ? "-" : SECONDS.format(t.atZone(ZoneId.systemDefault()));
    }

    /** To the microsecond, as the WAL records it, so it can be pasted back as a recovery target. */
    public static String micros(Instant t) {
        return t == null ? "-" : micros(t, ZoneId.systemDefault());
    }

    /** To the microsecond in the given zone. */
    public static String micros(Instant t, ZoneId zone) {
        return MICROS.format(t.atZone(zone));
    }

    /** An offset date-time to the microsecond as written: the form PostgreSQL's settings take. */
    public static String micros(OffsetDateTime t) {
        return MICROS.format(t);
    }

    private static int field(String text, String what, String name, String digits, int min, int max) {
        int v = Integer.parseInt(digits);
        if (v < min || v > max) {
            throw new PitrException("'" + text + "' is not a valid " + what + ": " + name + " " + digits + " is out of range",
                    "the " + name + " goes from " + String.format("%02d", min) + " to " + max);
        }
        return v;
    }

    private static int nanos(String text, String fraction) {
        if (fraction == null) {
            return 0;
        }
        if (fraction.length() > 6) {
            // PostgreSQL rounds a timestamp to the microsecond; reading more would plan one moment and restore another
            throw new PitrException("'" + text + "' has " + fraction.length() + " digits after the seconds; PostgreSQL keeps times to the microsecond",
                    "give at most 6 digits of fractions of a second");
        }
        return Integer.parseInt((fraction + "000000000").substring(0, 9));
    }

    private static ZoneId zone(String given) {
        String upper = given.toUpperCase(Locale.ROOT);
        String alias = ABBREVIATIONS.get(upper);
        if (alias != null) {
            return ZoneOffset.of(alias);
        }
        Matcher o = OFFSET.matcher(given);
        if (o.matches()) {
            int sign = o.group(1).equals("-") ? -1 : 1;
            int hours = Integer.parseInt(o.group(2));
            int minutes = o.group(3) == null ? 0 : Integer.parseInt(o.group(3));
            try {
                return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            } catch (DateTimeException e) {
                throw new PitrException("'" + given + "' is not a valid zone offset", "offsets go from -18:00 to +18:00");
            }
        }
        try {
            return ZoneId.of(given);
        } catch (DateTimeException e) {
            throw new PitrException("unknown time zone '" + given + "'",
                    "use an offset such as +01:00, UTC, or a zone name such as Europe/Berlin");
        }
    }
}
