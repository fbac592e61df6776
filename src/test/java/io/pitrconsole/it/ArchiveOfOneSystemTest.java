package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.archive.BackupCatalog;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An archive belongs to one database system: a backup of another cluster into it is refused before anything is written. */
class ArchiveOfOneSystemTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static List<String> archiveEntries() throws Exception {
        try (Stream<java.nio.file.Path> s = Files.list(pg.cluster().archiveDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aBackupOfAnotherClusterIsRefusedNamingBothSystems() throws Exception {
        String archive = pg.cluster().archiveDir().toString();
        CliRunner.Result first = CliRunner.run(Map.of(), "backup", "create", "--archive", archive, "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres");
        assertThat(first.exit()).as(first.err()).isZero();
        String ours = pg.cluster().queryOne("SELECT system_identifier FROM pg_control_system()");
        List<String> before = archiveEntries();
        try (PgTestCluster other = PgTestCluster.start()) {
            String theirs = other.queryOne("SELECT system_identifier FROM pg_control_system()");
            assertThat(theirs).isNotEqualTo(ours);
            CliRunner.Result foreign = CliRunner.run(Map.of(), "backup", "create", "--archive", archive, "-h", "127.0.0.1",
                    "-p", String.valueOf(other.port()), "-U", "postgres");
            assertThat(foreign.exit()).isNotZero();
            assertThat(foreign.err()).contains("belongs to database system " + ours, "is database system " + theirs, "hint: ");
            assertThat(foreign.noStackTrace()).as(foreign.err()).isTrue();
        }
        assertThat(archiveEntries()).isEqualTo(before);
        assertThat(new BackupCatalog(new ArchiveLayout(pg.cluster().archiveDir())).records()).hasSize(1)
                .allSatisfy(r -> assertThat(r.systemIdentifier()).isEqualTo(ours));
    }
}
