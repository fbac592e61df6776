package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.repository.encryption.AgeProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * A new backup of an encrypted directory repository waits, plain, in a private staging directory
 * under the cache directory until it is encrypted into the repository: the free-space check counts
 * that directory's file system, whether it is another one than the repository's (a small tmpfs as
 * XDG_CACHE_HOME) or the same one (then the backup needs room twice). Needs a tmpfs, so it runs
 * where mounting is allowed (as root in CI).
 */
class EncryptedBackupStagingSpaceTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private Path mountPoint;
    private Path key;

    @BeforeAll
    static void incompressibleData() {
        // ~16 MB of random bytes, so the database's size is what a backup takes
        pg.cluster().sql("CREATE EXTENSION pgcrypto; CREATE TABLE blobs (b bytea); ALTER TABLE blobs ALTER b SET STORAGE EXTERNAL;"
                + "INSERT INTO blobs SELECT (SELECT string_agg(gen_random_bytes(1024), ''::bytea) FROM generate_series(1, 1024) WHERE g > 0)"
                + " FROM generate_series(1, 16) g");
    }

    @BeforeEach
    void mountDirAndKey() throws Exception {
        mountPoint = Files.createTempDirectory(pg.cluster().baseDir(), "tmpfs-");
        key = Files.createTempDirectory(pg.cluster().baseDir(), "key-").resolve("archive.key");
        AgeProgram.find(System.getenv()).generate(key);
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
    }

    private void mountTmpfs(long bytes) throws Exception {
        int rc = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + (bytes / 1024) + "k", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start().waitFor();
        Assumptions.assumeTrue(rc == 0, "mounting a tmpfs is not allowed here");
    }

    private long databaseBytes() {
        return Long.parseLong(pg.cluster().queryOne("SELECT sum(pg_database_size(oid)) FROM pg_database"));
    }

    private CliRunner.Result backup(Path archive, Path cacheHome) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CACHE_HOME", cacheHome.toString());
        return CliRunner.run(env, "backup", "create", "--archive", archive.toString(), "--encryption-key-file", key.toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--compress", "none", "--history-wait", "1");
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    @Test
    void aStagingFileSystemTooSmallForTheBackupIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path archive = Files.createTempDirectory(pg.cluster().baseDir(), "archive-");
        mountTmpfs(databaseBytes() / 4);
        var r = backup(archive, mountPoint);
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).contains("not enough free space", mountPoint.resolve("pitr-console").toString(), "encrypted", "hint: ",
                "XDG_CACHE_HOME");
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        assertThat(names(archive)).noneMatch(n -> n.startsWith("backup_2"));
        assertThat(names(mountPoint)).isEmpty();
    }

    @Test
    void aStagingDirectoryOnTheRepositorysFileSystemNeedsRoomForTwoCopies() throws Exception {
        // room for one plain copy, not for the plain copy and its encrypted twin
        mountTmpfs(databaseBytes() * 3 / 2);
        Path archive = Files.createDirectories(mountPoint.resolve("archive"));
        var r = backup(archive, mountPoint.resolve("cache"));
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).contains("not enough free space", "encrypted", "twice", "hint: ");
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        assertThat(names(archive)).noneMatch(n -> n.startsWith("backup_2"));
        assertThat(names(mountPoint.resolve("cache"))).isEmpty();
    }
}
