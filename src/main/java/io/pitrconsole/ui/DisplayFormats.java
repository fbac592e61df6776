package io.pitrconsole.ui;

import io.pitrconsole.core.ByteSize;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages show times, ages and sizes: local time, short ages, binary units. */
public final class DisplayFormats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private DisplayFormats() {
    }

    /** Local time to the second; "-" when unknown. */
    public static String time(Instant t) {
        return t == null ? "-" : TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    /** An age as a person reads it: "40 s", "12 min", "5.5 h", "3.2 days". */
    public static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 120 * 60) {
            return s / 60 + " min";
        }
        if (s < 48 * 3600) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
        }
        return String.format(Locale.ROOT, "%.1f days", s / 86400.0);
    }

    public static String bytes(long bytes) {
        return bytes < 0 ? "-" : ByteSize.of(bytes).human();
    }

    public static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
