package io.pitrconsole.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times and durations are shown in text output: local time with an explicit offset. */
final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    private Formats() {
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    static String seconds(double s) {
        return s < 60 ? String.format("%.1f s", s) : String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
