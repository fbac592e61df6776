package io.pitrconsole.pg;

import io.pitrconsole.core.PitrException;
import java.util.regex.Pattern;

/** A PostgreSQL version as tools print it ("pg_basebackup (PostgreSQL) 15.18"). */
public record PgVersion(int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    public static PgVersion parseToolOutput(String text) {
        var m = VERSION.matcher(text);
        if (!m.find()) {
            throw new PitrException("could not read a PostgreSQL version from: " + text.strip(),
                    "check that --pg-bin points at a PostgreSQL bin directory");
        }
        return new PgVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** From server_version_num, e.g. 150018. */
    public static PgVersion fromVersionNum(int num) {
        return new PgVersion(num / 10000, num % 10000);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
