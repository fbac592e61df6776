package io.pitrconsole.config;

import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a profile into connection settings and a PostgreSQL program context, the one way the
 * console and the command line share. Explicit values (command-line flags) always win and libpq's
 * defaults come last. Between them the two faces differ on purpose, and only in this:
 * <ul>
 * <li>the command line puts the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE) before
 * the profile, as every libpq tool does, so a DBA points it at a cluster the usual way;</li>
 * <li>the console puts the profile first and lets the environment fill only what the profile
 * leaves empty: the window names the profile it works on (and may restore into its data
 * directory), so a variable left in the shell that started it must not point it elsewhere.</li>
 * </ul>
 * The programs: flag, then the profile's pgBin, then PG_BINDIR, the server's version and PATH.
 */
public final class ProfileResolver {
    /** Values given explicitly, each null when not given; they win over the environment and the profile. */
    public record Overrides(String host, Integer port, String user, String database, Path pgBin, String osUser) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null);
    }

    private final Optional<Profile> profile;
    private final Map<String, String> env;
    private final boolean environmentFirst;

    private ProfileResolver(Optional<Profile> profile, Map<String, String> env, boolean environmentFirst) {
        this.profile = profile;
        this.env = Map.copyOf(env);
        this.environmentFirst = environmentFirst;
    }

    /** The command line's order: flags, PG* environment, profile, defaults. */
    public static ProfileResolver forCommandLine(Optional<Profile> profile, Map<String, String> env) {
        return new ProfileResolver(profile, env, true);
    }

    /** The console's order: the profile, then the PG* environment for what it leaves empty, then defaults. */
    public static ProfileResolver forConsole(Profile profile, Map<String, String> env) {
        return new ProfileResolver(Optional.of(profile), env, false);
    }

    /** Connection settings in this resolver's order; PGPASSFILE always comes from the environment. */
    public ConnectionSettings connection(Overrides given) {
        Integer port = given.port();
        if (port == null && (!environmentFirst || blank(env.get("PGPORT")))) {
            port = profile.map(Profile::port).orElse(null);
        }
        // ConnectionSettings.resolve fills what is still null from the environment, then the defaults
        return ConnectionSettings.resolve(
                first(given.host(), beforeProfile("PGHOST"), profile.map(Profile::host).orElse(null)),
                port,
                first(given.user(), beforeProfile("PGUSER"), profile.map(Profile::user).orElse(null)),
                first(given.database(), beforeProfile("PGDATABASE"), profile.map(Profile::database).orElse(null)),
                env);
    }

    private String beforeProfile(String variable) {
        return environmentFirst ? env.get(variable) : null;
    }

    /** Where the PostgreSQL programs are and which OS user runs the server-side ones (default {@value OsUser#DEFAULT}). */
    public PgContext pg(Overrides given) {
        // with no bin directory here, PgInstallation looks at PG_BINDIR, the server's version and PATH
        Optional<Path> bin = Optional.ofNullable(given.pgBin())
                .or(() -> profile.map(Profile::pgBin).filter(s -> !s.isBlank()).map(Path::of));
        String user = first(given.osUser(), profile.map(Profile::osUser).orElse(null), OsUser.DEFAULT);
        return new PgContext(bin, env, new OsUser(user));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
