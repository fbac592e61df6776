package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.ServerEncryption;
import io.pitrconsole.repository.encryption.AgeProgram;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key rotation of a directory repository a real PostgreSQL 15 archives into through the console's
 * encrypting script: the rotation re-installs the script, so WAL archived after it is encrypted to
 * the new key; a rehearsal with the new key alone restores the same rows, and the old key alone is
 * refused, naming the new key's fingerprint.
 */
class KeyRotationClusterTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_command", "''", "archive_timeout", "0"));

    private static Path home;
    private static final Map<String, String> ENV = new HashMap<>();

    @AfterAll
    static void removeHome() throws IOException {
        if (home != null) {
            FileTrees.deleteRecursively(home);
        }
    }

    /** The directory kind's encrypting archive_command script (not in every build this test runs in). */
    private static boolean directoryKindEncrypts(EncryptionKey key) {
        try {
            new LocalDirectoryRepository(RepositoryLocation.parse(pg.cluster().archiveDir().toString(), S3Options.NONE)).wal().archiveCommand()
                    .encrypting(new ServerEncryption(Path.of("/usr/bin/age"), List.of(key.recipient()), List.of(key.file())));
            return true;
        } catch (PitrException unsupported) {
            return false;
        }
    }

    private static CliRunner.Result cli(String keyFile, List<String> more, String... verb) {
        PgTestCluster c = pg.cluster();
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres",
                "--pg-bin", c.installation().binDir().toString(), "--encryption-key-file", keyFile));
        a.addAll(more);
        return CliRunner.run(ENV, a.toArray(String[]::new));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        return r;
    }

    private static String switchAndWaitArchived(PgTestCluster c) throws InterruptedException {
        c.sql("SELECT txid_current()");
        String last = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!last.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            assertThat(System.nanoTime()).as("segment " + last + " archived within 60 s; " + c.queryOne("SELECT last_failed_wal FROM pg_stat_archiver"))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        return last;
    }

    private static boolean ageOpens(Path keyFile, Path stored) throws Exception {
        Process p = new ProcessBuilder("age", "--decrypt", "--identity", keyFile.toString(), "--output", "/dev/null", stored.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }

    @Test
    void afterARotationTheServerArchivesToTheNewKeyAndARehearsalWithItAloneHasTheSameRows() throws Exception {
        PgTestCluster c = pg.cluster();
        home = Files.createTempDirectory("pitr-key-rotation-home-");
        ENV.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        ENV.put("XDG_DATA_HOME", home.resolve("data").toString());
        ENV.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        AgeProgram age = AgeProgram.find(System.getenv());
        Path oldKey = c.baseDir().resolve("old.key");
        Path newKey = c.baseDir().resolve("new.key");
        age.generate(oldKey);
        EncryptionKey next = age.generate(newKey);
        Assumptions.assumeTrue(directoryKindEncrypts(next), "the directory kind's encrypting archive_command is not in this build");
        for (Path k : List.of(oldKey, newKey)) {
            // the server's OS user reads the keys: its restore_command decrypts
            c.giveToServerUser(k);
            Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rw-------"));
        }

        ok(cli(oldKey.toString(), List.of(), "archiving", "apply"));
        c.sql("CREATE TABLE t (id int, batch int)");
        ok(cli(oldKey.toString(), List.of(), "backup", "create"));
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        switchAndWaitArchived(c);

        CliRunner.Result rotated = ok(cli(oldKey.toString(), List.of("--new-key-file", newKey.toString()), "key", "rotate"));
        assertThat(rotated.out()).contains("archive_command script re-installed", "0 already under the new key");

        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        String after = switchAndWaitArchived(c);
        Path archivedAfter = c.walArchive().resolve(after);
        assertThat(ageOpens(newKey, archivedAfter)).as("archived after the rotation: under the new key").isTrue();
        assertThat(ageOpens(oldKey, archivedAfter)).as("not under the old one").isFalse();
        try (Stream<Path> s = Files.list(c.walArchive())) {
            for (Path f : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                assertThat(ageOpens(oldKey, f)).as(f + " no longer opens with the old key").isFalse();
            }
        }

        JsonNode report = Json.mapper().readTree(ok(cli(newKey.toString(), List.of(), "restore", "run", "--latest", "--rehearsal", "--json")).out());
        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(150);

        CliRunner.Result old = cli(oldKey.toString(), List.of(), "windows");
        assertThat(old.exit()).isNotZero();
        assertThat(old.err()).contains("encrypted with the key of fingerprint " + next.fingerprint());
        assertThat(old.noStackTrace()).as(old.err()).isTrue();
    }
}
