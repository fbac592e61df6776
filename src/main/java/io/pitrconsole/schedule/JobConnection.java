package io.pitrconsole.schedule;

import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server a scheduled backup is for, pinned when the job is installed: the profile's name and
 * the full connection it resolved to then. A job that named only its archive would back up
 * whatever server the default profile or the cron environment points at later, into this archive.
 */
public record JobConnection(String profile, ConnectionSettings connection, Optional<Path> pgBin, String osUser) {
    /** The connection that the installing command or console session resolved. */
    public static JobConnection of(Optional<String> profile, ConnectionSettings connection, PgContext pg) {
        return new JobConnection(profile.orElse(null), connection, pg.explicitBin(), pg.serverUser().name());
    }

    /** The options that pin it on the job's command line (never a password: that comes from ~/.pgpass or PGPASSFILE). */
    public List<String> args() {
        List<String> a = new ArrayList<>();
        add(a, "--profile", profile);
        add(a, "-h", connection.host());
        add(a, "-p", String.valueOf(connection.port()));
        add(a, "-U", connection.user());
        add(a, "-d", connection.database());
        add(a, "--pg-bin", pgBin.map(p -> p.toAbsolutePath().toString()).orElse(null));
        add(a, "--os-user", osUser);
        return a;
    }

    private static void add(List<String> a, String flag, String value) {
        if (value != null && !value.isBlank()) {
            a.add(flag);
            a.add(value);
        }
    }
}
