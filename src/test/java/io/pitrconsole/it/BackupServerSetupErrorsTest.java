package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Servers that are not set up for base backups get a hint naming the setting to change. */
class BackupServerSetupErrorsTest {

    private static CliRunner.Result backup(PgTestCluster c) {
        return CliRunner.run(Map.of(), "backup", "create", "--archive", c.archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(c.port()), "-U", "postgres", "--history-wait", "1");
    }

    @Test
    void noReplicationLineInPgHba() throws Exception {
        try (PgTestCluster c = PgTestCluster.start()) {
            Files.writeString(c.dataDir().resolve("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
            c.sql("SELECT pg_reload_conf()");
            Thread.sleep(300);
            var r = backup(c);
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("error: pg_basebackup failed").contains("no pg_hba.conf entry for replication connection");
            assertThat(r.err()).contains("hint: ").contains("host replication");
            assertThat(r.noStackTrace()).isTrue();
            try (var dirs = Files.list(c.archiveDir())) {
                assertThat(dirs.filter(d -> d.getFileName().toString().startsWith("backup_2")).allMatch(d -> {
                    try (var files = Files.list(d)) {
                        return files.map(f -> f.getFileName().toString()).toList().equals(java.util.List.of("backup.json"));
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })).as("a failed attempt leaves only its failed backup.json").isTrue();
            }
        }
    }

    @Test
    void noWalSenderSlots() {
        try (PgTestCluster c = PgTestCluster.start(Map.of("max_wal_senders", "0"))) {
            var r = backup(c);
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("WAL sender").contains("hint: ").contains("max_wal_senders");
            assertThat(r.noStackTrace()).isTrue();
        }
    }
}
