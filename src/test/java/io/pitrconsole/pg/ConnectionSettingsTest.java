package io.pitrconsole.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {
    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        Map<String, String> env = Map.of("PGHOST", "db.example", "PGPORT", "6543", "PGUSER", "dba", "PGDATABASE", "app");
        ConnectionSettings fromEnv = ConnectionSettings.resolve(null, null, null, null, env);
        assertThat(fromEnv).isEqualTo(new ConnectionSettings("db.example", 6543, "dba", "app", Optional.empty()));
        ConnectionSettings flags = ConnectionSettings.resolve("10.0.0.5", 5433, "backup", "postgres", env);
        assertThat(flags.toolArgs()).containsExactly("-h", "10.0.0.5", "-p", "5433", "-U", "backup");
        ConnectionSettings defaults = ConnectionSettings.resolve(null, null, null, null, Map.of());
        assertThat(defaults.host()).isEqualTo("localhost");
        assertThat(defaults.port()).isEqualTo(5432);
        assertThat(defaults.database()).isEqualTo("postgres");
    }

    @Test
    void passwordFileIsPassedByLocationNeverByValue(@TempDir Path dir) throws Exception {
        Path pass = dir.resolve("pgpass");
        Files.writeString(pass, "localhost:5432:*:dba:s3cr3t\n");
        ConnectionSettings s = ConnectionSettings.resolve(null, null, "dba", null, Map.of("PGPASSFILE", pass.toString()));
        assertThat(s.toolEnv()).containsExactly(Map.entry("PGPASSFILE", pass.toString()));
        assertThat(String.join(" ", s.toolArgs())).doesNotContain("s3cr3t");
        assertThat(s.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void pgpassLookupFollowsLibpqMatching(@TempDir Path dir) throws Exception {
        Path pass = dir.resolve("pgpass");
        Files.writeString(pass, "# comment\nother:5432:*:dba:wrong\n*:5433:*:dba:pa\\:ss\nlocalhost:*:*:*:fallback\n");
        assertThat(PgPassFile.lookup(pass, new ConnectionSettings("db", 5433, "dba", "x", Optional.empty()))).contains("pa:ss");
        assertThat(PgPassFile.lookup(pass, new ConnectionSettings("127.0.0.1", 5432, "joe", "x", Optional.empty()))).contains("fallback");
        assertThat(PgPassFile.lookup(pass, new ConnectionSettings("db", 5432, "dba", "x", Optional.empty()))).isEmpty();
    }

    @Test
    void commandLinesMaskAnythingThatLooksLikeAPassword() {
        ToolCommand c = ToolCommand.of(Path.of("/usr/bin/psql"), "-d", "host=x password=hunter2");
        assertThat(c.printable()).doesNotContain("hunter2").contains("<redacted>");
    }

    @Test
    void failureHintsNameTheFix() {
        assertThat(FailureHints.hintFor(java.util.List.of("pg_basebackup: error: FATAL:  must be superuser or replication role to start walsender")))
                .get().asString().contains("REPLICATION");
        assertThat(FailureHints.hintFor(java.util.List.of("could not write to file \"x\": No space left on device")))
                .get().asString().contains("free space");
        assertThat(FailureHints.hintFor(java.util.List.of("number of requested standby connections exceeds max_wal_senders (currently 0)")))
                .get().asString().contains("max_wal_senders");
    }
}
