package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.ui.ClusterSession;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line and the console resolve a profile with one resolver: the same answer when no
 * PG* variable is set; with one set, the command line follows it (as libpq tools do) and the
 * console keeps to the profile it shows.
 */
class VerbResolutionTest {
    private static final Profile PROD = new Profile("prod", "db1", 5433, "backup", "app", "/var/lib/pg", "pgadmin",
            "/srv/pitr", "/opt/pg15/bin");

    /** A verb that only shows what it resolved. */
    static final class Probe extends Verb {
        Probe(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            return 0;
        }
    }

    private static Probe parse(Map<String, String> env, String... args) {
        Probe p = new Probe(new CliContext(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0])));
        new CommandLine(p).parseArgs(args);
        return p;
    }

    private static Map<String, String> env(Path dir) {
        Map<String, String> env = new HashMap<>(Map.of("XDG_CONFIG_HOME", dir.toString(), "PGHOST", "envhost", "PGPORT", "6543",
                "PGUSER", "envuser", "PGDATABASE", "envdb"));
        new ProfileStore(dir.resolve("pitr-console").resolve("profiles.json")).put(PROD, true);
        return env;
    }

    @Test
    void withPgVariablesTheCommandLineFollowsThemAndTheConsoleKeepsToItsProfile(@TempDir Path dir) {
        Map<String, String> env = env(dir);
        Probe cli = parse(env);
        ClusterSession console = new ClusterSession(PROD, env);
        assertThat(cli.connection()).isEqualTo(new ConnectionSettings("envhost", 6543, "envuser", "envdb", Optional.empty()));
        assertThat(console.connection()).isEqualTo(new ConnectionSettings("db1", 5433, "backup", "app", Optional.empty()));
        assertThat(cli.pg()).isEqualTo(console.pg())
                .isEqualTo(new PgContext(Optional.of(Path.of("/opt/pg15/bin")), env, new OsUser("pgadmin")));
    }

    @Test
    void withoutFlagsOrEnvironmentBothFacesUseTheProfile(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>(env(dir));
        env.keySet().removeIf(k -> k.startsWith("PG"));
        assertThat(parse(env).connection()).isEqualTo(new ClusterSession(PROD, env).connection())
                .isEqualTo(new ConnectionSettings("db1", 5433, "backup", "app", Optional.empty()));
    }

    @Test
    void flagsGoOnTop(@TempDir Path dir) {
        Map<String, String> env = env(dir);
        Probe cli = parse(env, "-h", "flaghost", "-p", "7000", "--pg-bin", "/flag/bin", "--os-user", "flagos");
        // the flags given replace their own field; user and database stay the environment's
        assertThat(cli.connection()).isEqualTo(new ConnectionSettings("flaghost", 7000, "envuser", "envdb", Optional.empty()));
        assertThat(cli.pg()).isEqualTo(new PgContext(Optional.of(Path.of("/flag/bin")), env, new OsUser("flagos")));
    }
}
