package io.pitrconsole.core;

import java.util.Locale;

/** A number of bytes, printed the way a DBA reads it (binary units, one decimal). */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    public static ByteSize of(long bytes) {
        return new ByteSize(bytes);
    }

    public String human() {
        double v = bytes;
        int unit = 0;
        while (Math.abs(v) >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    @Override
    public int compareTo(ByteSize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return human();
    }
}
