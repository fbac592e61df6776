package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --archive and a profile's archive are read as a repository location: an unknown kind's URI is refused clearly, a directory works. */
class RepositoryLocationCliTest {

    @Test
    void anObjectStoreUriIsRefusedWithAHintNotTakenForADirectory(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString());
        CliRunner.Result r = CliRunner.run(env, "backup", "list", "--archive", "gs://bucket/prefix");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("'gs://bucket/prefix' names a gs:// repository, which this version cannot read")
                .contains("hint: pass a local archive directory with --archive DIR")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.exists(Path.of("gs:"))).as("nothing was made in the working directory").isFalse();
    }

    @Test
    void aProfilesArchiveGoesThroughTheSameParsing(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString());
        new ProfileStore(tmp.resolve("config").resolve("pitr-console").resolve("profiles.json")).put(new Profile(
                "main", "127.0.0.1", 5432, "postgres", "postgres", null, null, "pgbackrest://bad stanza", null), true);
        CliRunner.Result r = CliRunner.run(env, "backup", "list");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("'pgbackrest://bad stanza' does not name a pgBackRest stanza");

        Path archive = Files.createDirectories(tmp.resolve("archive"));
        CliRunner.Result dir = CliRunner.run(env, "backup", "list", "--archive", archive.toString());
        assertThat(dir.exit()).as(dir.err()).isZero();
        assertThat(dir.out()).contains("no backups in " + archive);
    }
}
