package io.pitrconsole.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** A WAL location (log sequence number), shown by PostgreSQL as {@code X/X} in hex. */
public record Lsn(long value) implements Comparable<Lsn> {
    private static final Pattern TEXT = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    public static final Lsn ZERO = new Lsn(0);

    @JsonCreator
    public static Lsn parse(String text) {
        var m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new PitrException("'" + text + "' is not a WAL location",
                    "write it as PostgreSQL prints it, for example 0/3000028");
        }
        return new Lsn((Long.parseLong(m.group(1), 16) << 32) | Long.parseLong(m.group(2), 16));
    }

    /** The segment number this location falls in, for the given segment size. */
    public long segmentNumber(long segmentSize) {
        return Long.divideUnsigned(value, segmentSize);
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
