package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The archive's file system: too small from the start, full in the middle of a backup, or
 * read-only. Needs a small tmpfs, so it runs where mounting is allowed (as root in CI).
 */
class BackupDiskSpaceTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private Path mountPoint;

    @BeforeAll
    static void incompressibleData() {
        // ~24 MB of random bytes: compressed backups stay about as big as the database.
        pg.cluster().sql("CREATE EXTENSION pgcrypto; CREATE TABLE blobs (b bytea); ALTER TABLE blobs ALTER b SET STORAGE EXTERNAL;"
                + "INSERT INTO blobs SELECT (SELECT string_agg(gen_random_bytes(1024), ''::bytea) FROM generate_series(1, 1024) WHERE g > 0)"
                + " FROM generate_series(1, 24) g");
    }

    @BeforeEach
    void mountDir() throws Exception {
        mountPoint = Files.createTempDirectory(pg.cluster().baseDir(), "tmpfs-");
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
    }

    private void mountTmpfs(String options) throws Exception {
        int rc = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start().waitFor();
        Assumptions.assumeTrue(rc == 0, "mounting a tmpfs is not allowed here");
    }

    private long databaseBytes() {
        return Long.parseLong(pg.cluster().queryOne("SELECT sum(pg_database_size(oid)) FROM pg_database"));
    }

    private CliRunner.Result backup(String compress) {
        return CliRunner.run(Map.of(), "backup", "create", "--archive", mountPoint.toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--compress", compress, "--history-wait", "1");
    }

    @Test
    void tooLittleSpaceIsRefusedBeforeAnythingIsWritten() throws Exception {
        mountTmpfs("size=" + (databaseBytes() / 4 / 1024) + "k");
        var r = backup("none");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("not enough free space").contains("hint: ");
        assertThat(r.noStackTrace()).isTrue();
        try (Stream<Path> s = Files.list(mountPoint)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup_2"))).isEmpty();
        }
    }

    @Test
    void diskFullMidBackupMarksItFailedRemovesPartialFilesAndSaysWhy() throws Exception {
        // Passes the pre-check (a compressed backup is assumed to need a third of the database),
        // but the random data does not compress, so the disk fills up during the copy.
        mountTmpfs("size=" + (databaseBytes() / 2 / 1024) + "k");
        var r = backup("zstd");
        assertThat(r.exit()).as(r.out()).isNotZero();
        assertThat(r.err()).contains("hint: ").containsIgnoringCase("space");
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(mountPoint)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith("backup_2")).toList();
        }
        assertThat(dirs).hasSize(1);
        BackupRecord rec = Json.mapper().readValue(dirs.get(0).resolve("backup.json").toFile(), BackupRecord.class);
        assertThat(rec.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(rec.error()).containsIgnoringCase("space");
        try (Stream<Path> s = Files.list(dirs.get(0))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("backup.json");
        }
    }

    @Test
    void readOnlyArchiveIsRefusedWithAHint() throws Exception {
        mountTmpfs("size=1m,ro");
        var r = backup("zstd");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("not writable").contains("hint: ");
        assertThat(r.noStackTrace()).isTrue();
    }
}
