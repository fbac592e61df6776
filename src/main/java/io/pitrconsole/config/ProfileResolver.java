package io.pitrconsole.config;

import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a profile into connection settings and a PostgreSQL program context, the one way the
 * console and the command line share: explicit values (command-line flags) win, then the
 * profile, then the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE; PG_BINDIR for the
 * programs), then the defaults. The profile beats the environment as a libpq service file does:
 * a chosen cluster should not silently move because of a variable left in the shell.
 */
public final class ProfileResolver {
    /** Values given explicitly, each null when not given; they win over the profile. */
    public record Overrides(String host, Integer port, String user, String database, Path pgBin, String osUser) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null);
    }

    private final Optional<Profile> profile;
    private final Map<String, String> env;

    public ProfileResolver(Optional<Profile> profile, Map<String, String> env) {
        this.profile = profile;
        this.env = Map.copyOf(env);
    }

    /** Connection settings: override, then profile, then PGHOST/PGPORT/PGUSER/PGDATABASE, then libpq's defaults. */
    public ConnectionSettings connection(Overrides given) {
        Integer port = given.port() != null ? given.port() : profile.map(Profile::port).orElse(null);
        return ConnectionSettings.resolve(
                first(given.host(), profile.map(Profile::host).orElse(null)),
                port,
                first(given.user(), profile.map(Profile::user).orElse(null)),
                first(given.database(), profile.map(Profile::database).orElse(null)),
                env);
    }

    /** Where the PostgreSQL programs are and which OS user runs the server-side ones (default {@value OsUser#DEFAULT}). */
    public PgContext pg(Overrides given) {
        // with no bin directory here, PgInstallation looks at PG_BINDIR, the server's version and PATH
        Optional<Path> bin = Optional.ofNullable(given.pgBin())
                .or(() -> profile.map(Profile::pgBin).filter(s -> !s.isBlank()).map(Path::of));
        String user = first(given.osUser(), profile.map(Profile::osUser).orElse(null), OsUser.DEFAULT);
        return new PgContext(bin, env, new OsUser(user));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
