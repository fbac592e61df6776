package io.pitrconsole.cli;

import io.pitrconsole.core.Timestamps;
import java.time.Instant;

/** How times and durations are shown in text output: local time with an explicit offset. */
public final class Formats {
    private Formats() {
    }

    public static String time(Instant t) {
        return Timestamps.seconds(t);
    }

    /** To the microsecond, as the WAL records it, so it can be pasted as a recovery target. */
    public static String preciseTime(Instant t) {
        return Timestamps.micros(t);
    }

    public static String seconds(double s) {
        return s < 60 ? String.format("%.1f s", s) : String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
