package io.pitrconsole.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.ProfileResolver.Overrides;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileResolverTest {
    private static final Map<String, String> ENV = Map.of("PGHOST", "envhost", "PGPORT", "6543", "PGUSER", "envuser",
            "PGDATABASE", "envdb");
    private static final Profile PROFILE = new Profile("prod", "db1", 5433, "backup", "app", "/var/lib/pg", "pgadmin",
            "/srv/pitr", "/opt/pg15/bin");
    private static final Overrides FLAGS = new Overrides("flaghost", 7000, "flaguser", "flagdb", Path.of("/flag/bin"), "flagos");

    @Test
    void flagsWinOverTheProfile() {
        ProfileResolver r = ProfileResolver.forCommandLine(Optional.of(PROFILE), ENV);
        assertThat(r.connection(FLAGS)).isEqualTo(new ConnectionSettings("flaghost", 7000, "flaguser", "flagdb", Optional.empty()));
        PgContext pg = r.pg(FLAGS);
        assertThat(pg.explicitBin()).contains(Path.of("/flag/bin"));
        assertThat(pg.serverUser()).isEqualTo(new OsUser("flagos"));
    }

    @Test
    void theLibpqEnvironmentWinsOverTheProfile() {
        ProfileResolver r = ProfileResolver.forCommandLine(Optional.of(PROFILE), ENV);
        assertThat(r.connection(Overrides.NONE)).isEqualTo(new ConnectionSettings("envhost", 6543, "envuser", "envdb", Optional.empty()));
        // the programs and the OS user are not libpq's: the profile's
        PgContext pg = r.pg(Overrides.NONE);
        assertThat(pg.explicitBin()).contains(Path.of("/opt/pg15/bin"));
        assertThat(pg.serverUser()).isEqualTo(new OsUser("pgadmin"));
        assertThat(pg.env()).isEqualTo(ENV);
    }

    @Test
    void theProfileFillsWhatTheEnvironmentLeavesOpen() {
        ProfileResolver r = ProfileResolver.forCommandLine(Optional.of(PROFILE), Map.of("PGPORT", "6543"));
        assertThat(r.connection(Overrides.NONE)).isEqualTo(new ConnectionSettings("db1", 6543, "backup", "app", Optional.empty()));
    }

    @Test
    void theConsoleKeepsToItsProfileAndTakesTheEnvironmentOnlyForBlanks() {
        assertThat(ProfileResolver.forConsole(PROFILE, ENV).connection(Overrides.NONE))
                .isEqualTo(new ConnectionSettings("db1", 5433, "backup", "app", Optional.empty()));
        Profile sparse = new Profile("sparse", "db1", null, "", null, null, " ", "/srv/pitr", "");
        assertThat(ProfileResolver.forConsole(sparse, ENV).connection(Overrides.NONE))
                .isEqualTo(new ConnectionSettings("db1", 6543, "envuser", "envdb", Optional.empty()));
    }

    @Test
    void theEnvironmentFillsWhatTheProfileLeavesOpen() {
        // a profile with only a name and an archive, or blank fields as a hand-edited file may have
        Profile sparse = new Profile("sparse", " ", null, "", null, null, " ", "/srv/pitr", "");
        ProfileResolver r = ProfileResolver.forCommandLine(Optional.of(sparse), ENV);
        assertThat(r.connection(Overrides.NONE)).isEqualTo(new ConnectionSettings("envhost", 6543, "envuser", "envdb", Optional.empty()));
        // one flag on top changes only its own field
        assertThat(r.connection(new Overrides(null, 7000, null, null, null, null)))
                .isEqualTo(new ConnectionSettings("envhost", 7000, "envuser", "envdb", Optional.empty()));
    }

    @Test
    void withNeitherProfileNorEnvironmentTheDefaultsApply() {
        ProfileResolver r = ProfileResolver.forCommandLine(Optional.empty(), Map.of());
        ConnectionSettings c = r.connection(Overrides.NONE);
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.port()).isEqualTo(5432);
        assertThat(c.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(c.database()).isEqualTo("postgres");
        PgContext pg = r.pg(Overrides.NONE);
        assertThat(pg.explicitBin()).isEmpty();
        assertThat(pg.serverUser()).isEqualTo(new OsUser(OsUser.DEFAULT));
    }

    @Test
    void thePasswordFileComesFromTheEnvironmentWhateverElseIsGiven() {
        ProfileResolver r = ProfileResolver.forCommandLine(Optional.of(PROFILE), Map.of("PGPASSFILE", "/home/dba/.pgpass-prod"));
        assertThat(r.connection(FLAGS).passFile()).contains(Path.of("/home/dba/.pgpass-prod"));
    }
}
