package io.pitrconsole.pg;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.util.regex.Pattern;

/** A PostgreSQL version as tools print it ("pg_basebackup (PostgreSQL) 15.18"); a minor of {@value #UNKNOWN} was not read. */
public record PgVersion(int major, int minor) {
    /** The minor of a version known only by its major (say, from Debian's directory name). */
    public static final int UNKNOWN = -1;

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    public static PgVersion parseToolOutput(String text) {
        var m = VERSION.matcher(text);
        if (!m.find()) {
            throw new PitrException("could not read a PostgreSQL version from: " + text.strip(),
                    Hint.of("check that --pg-bin points at a PostgreSQL bin directory",
                            "check that the profile's PostgreSQL bin directory (Settings) is a PostgreSQL bin directory"));
        }
        return new PgVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** From server_version_num, e.g. 150018. */
    public static PgVersion fromVersionNum(int num) {
        return new PgVersion(num / 10000, num % 10000);
    }

    /** The major alone: the minor was not read, and "15.0" would claim a release that is not installed. */
    public static PgVersion majorOnly(int major) {
        return new PgVersion(major, UNKNOWN);
    }

    @Override
    public String toString() {
        return minor == UNKNOWN ? String.valueOf(major) : major + "." + minor;
    }
}
