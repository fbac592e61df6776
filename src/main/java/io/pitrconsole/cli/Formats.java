package io.pitrconsole.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times and durations are shown in text output: local time with an explicit offset. */
final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private Formats() {
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    /** To the microsecond, as the WAL records it, so it can be pasted as a recovery target. */
    static String preciseTime(Instant t) {
        return t == null ? "-" : PRECISE.format(t.atZone(ZoneId.systemDefault()));
    }

    static String seconds(double s) {
        return s < 60 ? String.format("%.1f s", s) : String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
