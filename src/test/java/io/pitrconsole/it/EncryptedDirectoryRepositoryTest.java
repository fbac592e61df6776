package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.encryption.AgeProgram;
import io.pitrconsole.repository.encryption.EncryptionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An encrypted directory repository, end to end with a real PostgreSQL 15 and the real age: the
 * cluster archives through the encrypting script 'archiving apply' installs, a backup is taken with
 * the key, and a marker written into a table is in none of the repository's files; verify,
 * windows and a rehearsal to a moment between two commits work with the key, and fail clearly,
 * naming the key's fingerprint, without it or with another key; a flipped byte in an encrypted
 * WAL file or base.tar is reported as tampering, naming the file; the archive_command keeps the
 * never-overwrite rule on encrypted files; an in-place restore works and rolls back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptedDirectoryRepositoryTest {
    private static final String MARKER = "PITR-SECRET-MARKER-4f9c1d";

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_command", "''", "archive_timeout", "0"));

    private static Path home;
    private static Path key;
    private static Path otherKey;
    private static String fingerprint;
    private static final Map<String, String> ENV = new HashMap<>();
    private static OffsetDateTime betweenFirstAndSecond;
    private static String backupId;

    @BeforeAll
    static void historyInAnEncryptedRepository() throws Exception {
        PgTestCluster c = pg.cluster();
        home = Files.createTempDirectory("pitr-encrypted-home-");
        ENV.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        ENV.put("XDG_DATA_HOME", home.resolve("data").toString());
        ENV.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        AgeProgram age = AgeProgram.find(System.getenv());
        // the server's OS user reads the key (restore_command, and the script's comparison with a copy already archived)
        key = c.baseDir().resolve("repository.key");
        fingerprint = age.generate(key).fingerprint().value();
        c.giveToServerUser(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        otherKey = home.resolve("other.key");
        age.generate(otherKey);

        ok(cli("archiving", "apply"));
        assertThat(c.queryOne("SHOW archive_command")).contains(".pitr/bin/archive-wal");
        c.sql("CREATE TABLE secret (id int, note text)");
        c.sql("INSERT INTO secret SELECT g, '" + MARKER + "-' || g FROM generate_series(1, 2000) g");
        c.sql("CREATE TABLE t (id int, batch int)");
        JsonNode backup = Json.mapper().readTree(ok(cli("backup", "create", "--json")).out());
        backupId = backup.path("id").asText();
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        OffsetDateTime afterFirst = now(c);
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        c.sql("INSERT INTO secret SELECT g, '" + MARKER + "-later-' || g FROM generate_series(1, 200) g");
        switchAndWaitArchived(c);
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (home != null) {
            FileTrees.deleteRecursively(home);
        }
    }

    private static CliRunner.Result cli(String... verb) {
        return cli(pg.cluster().archiveDir(), "--encryption-key-file", key.toString(), verb);
    }

    private static CliRunner.Result cli(Path archive, String keyOption, String keyFile, String... verb) {
        PgTestCluster c = pg.cluster();
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", archive.toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres",
                "--pg-bin", c.installation().binDir().toString()));
        if (keyOption != null) {
            a.addAll(List.of(keyOption, keyFile));
        }
        return CliRunner.run(ENV, a.toArray(String[]::new));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        return r;
    }

    private static OffsetDateTime now(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
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

    private static boolean holdsMarker(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(MARKER);
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** A copy of the repository (its encryption record too, not its caches) to damage. */
    private static Path copyOfRepository() throws IOException {
        Path copy = pg.cluster().copyOfArchive("pitr-encrypted-copy-");
        Files.createDirectories(copy.resolve(".pitr"));
        Files.copy(pg.cluster().archiveDir().resolve(".pitr/encryption.json"), copy.resolve(".pitr/encryption.json"));
        return copy;
    }

    private static Path firstSegment(Path archive) throws IOException {
        try (Stream<Path> s = Files.list(archive.resolve("wal_archive"))) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).sorted().findFirst().orElseThrow();
        }
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            ch.write(b, at);
        }
    }

    @Test
    @Order(0)
    void noStoredFileHoldsTheMarkerAndEveryBackupFileAndWalFileIsEncrypted() throws Exception {
        // the marker is there to be found in plain bytes: the server's own WAL holds it
        boolean inPlainWal = false;
        for (Path f : filesUnder(pg.cluster().dataDir().resolve("pg_wal"))) {
            inPlainWal |= holdsMarker(f);
        }
        assertThat(inPlainWal).as("the marker is in the server's plain WAL").isTrue();

        Path archive = pg.cluster().archiveDir();
        List<Path> stored = filesUnder(archive);
        assertThat(stored).anyMatch(p -> p.getFileName().toString().startsWith("base.tar"))
                .anyMatch(p -> p.getFileName().toString().equals("backup_manifest"))
                .anyMatch(p -> p.getFileName().toString().matches("[0-9A-F]{24}"));
        for (Path f : stored) {
            assertThat(holdsMarker(f)).as(f + " holds the marker").isFalse();
            String rel = archive.relativize(f).toString();
            if (rel.startsWith("wal_archive/") && !rel.startsWith("wal_archive/.") || rel.matches("backup_[0-9_]+/[^/]+") && !rel.endsWith("/backup.json")) {
                assertThat(new String(Files.readAllBytes(f), 0, 21, StandardCharsets.US_ASCII)).as(rel).isEqualTo("age-encryption.org/v1");
            }
        }
        assertThat(Files.readString(archive.resolve(".pitr/encryption.json"))).contains(fingerprint).doesNotContain("AGE-SECRET-KEY");
        // the backup waited, plain, in a private directory on this machine, gone once it was encrypted
        Path staging = home.resolve("cache").resolve("pitr-console").resolve("encrypting");
        if (Files.exists(staging)) {
            assertThat(Files.getPosixFilePermissions(staging)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> s = Files.list(staging)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }

    @Test
    @Order(1)
    void verifyWindowsWalStatusAndARehearsalToAMomentBetweenTwoCommitsWorkWithTheKey() throws Exception {
        CliRunner.Result verify = ok(cli("backup", "verify", backupId));
        assertThat(verify.out()).contains(backupId);

        JsonNode windows = Json.mapper().readTree(ok(cli("windows", "--json")).out());
        assertThat(windows.toString()).contains(backupId);
        OffsetDateTime to = Json.mapper().convertValue(windows.findValue("to"), OffsetDateTime.class);
        assertThat(to).isAfter(betweenFirstAndSecond);

        CliRunner.Result status = ok(cli("wal", "status", "--verify"));
        assertThat(status.out()).contains("gaps: none", "damaged segments: none").doesNotContain("tampered");

        JsonNode report = Json.mapper().readTree(ok(cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal", "--json")).out());
        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(100);
        assertThat(report.path("rowCounts").path("public.secret").asLong()).isEqualTo(2000);
        assertThat(report.path("reachedTarget").asText()).startsWith("LOG: recovery stopping before commit");
        assertThat(report.toString()).contains("staged ahead of the server");

        // a sandbox whose path cannot go into a restore_command gets no WAL staged ahead: the server's
        // restore_command decrypts every file it replays from the archive itself, as the server's OS user
        Path unstaged = Path.of(System.getProperty("java.io.tmpdir"), "pitr encrypted sandbox " + System.nanoTime());
        JsonNode direct = Json.mapper().readTree(ok(cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal",
                "--dir", unstaged.toString(), "--json")).out());
        assertThat(direct.path("status").asText()).as(direct.toString()).isEqualTo("succeeded");
        assertThat(direct.path("rowCounts").path("public.t").asLong()).isEqualTo(100);
        assertThat(direct.path("walSegmentsRestored").asInt()).isPositive();
        assertThat(direct.toString()).doesNotContain("staged ahead of the server");
        FileTrees.deleteRecursively(unstaged);

        // what the verbs wrote beside the files (caches, reports) holds no plain data either
        for (Path f : filesUnder(pg.cluster().archiveDir())) {
            assertThat(holdsMarker(f)).as(f + " holds the marker").isFalse();
        }
    }

    @Test
    @Order(2)
    void withoutTheKeyOrWithAnotherKeyEachVerbFailsNamingTheFingerprintItNeeds() {
        Path archive = pg.cluster().archiveDir();
        String[][] verbs = {{"backup", "verify", backupId}, {"backup", "list"}, {"windows"}, {"wal", "status", "--verify"},
                {"restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal"}};
        for (String[] verb : verbs) {
            CliRunner.Result none = cli(archive, null, null, verb);
            assertThat(none.exit()).as(String.join(" ", verb) + ": " + none.out() + none.err()).isNotZero();
            assertThat(none.err()).as(String.join(" ", verb)).contains("is encrypted", fingerprint, "no key was given", "--encryption-key-file");
            assertThat(none.noStackTrace()).as(none.err()).isTrue();

            CliRunner.Result other = cli(archive, "--encryption-key-file", otherKey.toString(), verb);
            assertThat(other.exit()).as(String.join(" ", verb) + ": " + other.out() + other.err()).isNotZero();
            assertThat(other.err()).as(String.join(" ", verb)).contains("fingerprint " + fingerprint, otherKey.toString());
            assertThat(other.noStackTrace()).as(other.err()).isTrue();
        }
        // the environment names the key as well as the flag does
        Map<String, String> env = new HashMap<>(ENV);
        env.put("PITR_ENCRYPTION_KEY_FILE", key.toString());
        CliRunner.Result byEnv = CliRunner.run(env, "backup", "list", "--archive", archive.toString());
        assertThat(byEnv.exit()).as(byEnv.err()).isZero();
        assertThat(byEnv.out()).contains(backupId);
    }

    @Test
    @Order(2)
    void restoreCheckXidLookupCleanupAndArchivingVerifyReadTheEncryptedRepository() throws Exception {
        CliRunner.Result check = ok(cli("restore", "check", "--to", betweenFirstAndSecond.toString()));
        assertThat(check.out()).contains("[pass] WAL archive access", "restore_command decrypts each WAL file with", "all prerequisites met");

        String xid = pg.cluster().queryOne("SELECT xmin::text FROM t WHERE batch = 2 LIMIT 1");
        CliRunner.Result plan = ok(cli("restore", "plan", "--to-xid", xid));
        assertThat(plan.out()).contains(backupId);

        ok(cli("cleanup", "--dry-run"));
        CliRunner.Result archiving = ok(cli("archiving", "verify", "--wait", "60"));
        assertThat(archiving.out()).contains("pass  segment archived").doesNotContain("fail ");
    }

    @Test
    @Order(2)
    void restoreCheckFailsWhenTheServersOsUserCannotReadTheKeyFile() throws Exception {
        // the same key in a file only this user reads: the restore_command, run by the server's OS user, could decrypt nothing
        Path rootOnly = home.resolve("root-only.key");
        Files.copy(key, rootOnly);
        Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rw-------"));
        CliRunner.Result check = cli(pg.cluster().archiveDir(), "--encryption-key-file", rootOnly.toString(), "restore", "check", "--to",
                betweenFirstAndSecond.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isNotZero();
        assertThat(check.out()).contains("[fail] WAL archive access", "OS user postgres cannot read the encryption key file " + rootOnly,
                "chmod 640");
        assertThat(check.noStackTrace()).as(check.err()).isTrue();
    }

    @Test
    @Order(2)
    void theWalARestoresPlanningFetchesWaitsDecryptedOutsideTheRepository() throws Exception {
        Path archive = pg.cluster().archiveDir();
        // a cold index: planning reads (and keeps copies of) every segment
        Files.deleteIfExists(archive.resolve(".pitr/wal-index.bin"));
        List<Path> inRepository = new ArrayList<>();
        List<Path> elsewhere = new ArrayList<>();
        try (var repository = (AutoCloseable & io.pitrconsole.repository.Repository) io.pitrconsole.session.ClusterServices.openRepository(
                archive.toString(), io.pitrconsole.repository.S3Options.NONE, io.pitrconsole.repository.PgBackRestOptions.NONE,
                new io.pitrconsole.session.KeyFiles(java.util.Optional.of(key), List.of()), ENV)) {
            Path workDir = repository.workDir();
            io.pitrconsole.recovery.RestoreListener look = new io.pitrconsole.recovery.RestoreListener() {
                @Override
                public void stepStarted(String step) {
                    try {
                        filesUnder(archive).stream().filter(p -> p.toString().contains(".wal-copies-")).forEach(inRepository::add);
                        if (Files.isDirectory(workDir)) {
                            filesUnder(workDir).stream().filter(p -> p.toString().contains(".wal-copies-")).forEach(elsewhere::add);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
            var report = new io.pitrconsole.recovery.RestoreService(repository, pg.cluster().pgContext()).run(
                    io.pitrconsole.recovery.RestoreRequest.rehearsal(io.pitrconsole.recovery.target.RecoveryTarget.latest()), look,
                    io.pitrconsole.core.Cancellation.none());
            assertThat(report.status()).as(report.error()).isEqualTo(io.pitrconsole.recovery.report.RestoreReport.SUCCEEDED);
            assertThat(inRepository).as("decrypted WAL inside the repository").isEmpty();
            assertThat(elsewhere).as("the copies planning kept, in the private work directory").isNotEmpty();
            assertThat(workDir.startsWith(archive)).isFalse();
        }
    }

    @Test
    @Order(3)
    void aFlippedByteInAnEncryptedWalFileOrBaseTarIsReportedAsTamperingNamingTheFile() throws Exception {
        Path copy = copyOfRepository();
        try {
            // the last segment a restore to the moment between the commits replays: the one its time target stops in
            JsonNode plan = Json.mapper().readTree(ok(cli("restore", "plan", "--to", betweenFirstAndSecond.toString(), "--json")).out());
            List<String> replayed = new ArrayList<>();
            plan.get("walSegments").forEach(n -> replayed.add(n.asText()));
            Path segment = copy.resolve("wal_archive").resolve(replayed.get(replayed.size() - 1));
            flipByte(segment, Files.size(segment) / 2);
            CliRunner.Result status = cli(copy, "--encryption-key-file", key.toString(), "wal", "status", "--verify");
            assertThat(status.exit()).as("damaged WAL: what 'health' calls critical").isEqualTo(2);
            assertThat(status.out()).contains("damaged: " + segment.getFileName() + ": ", "the archived WAL file " + segment.getFileName(),
                    "was tampered with or damaged");
            // a restore's pre-checks read the WAL it replays, and stop at the damaged file
            CliRunner.Result check = cli(copy, "--encryption-key-file", key.toString(), "restore", "check", "--to", betweenFirstAndSecond.toString());
            assertThat(check.exit()).as(check.out() + check.err()).isNotZero();
            assertThat(check.out()).contains(segment.getFileName().toString(), "tampered with or damaged");
            assertThat(check.noStackTrace()).as(check.err()).isTrue();
            assertThat(status.noStackTrace()).as(status.err()).isTrue();

            Path base;
            try (Stream<Path> s = Files.list(copy.resolve(backupId))) {
                base = s.filter(p -> p.getFileName().toString().startsWith("base.tar")).findFirst().orElseThrow();
            }
            flipByte(base, Files.size(base) / 3);
            CliRunner.Result verify = cli(copy, "--encryption-key-file", key.toString(), "backup", "verify", backupId);
            assertThat(verify.exit()).as(verify.out() + verify.err()).isNotZero();
            assertThat(verify.out() + verify.err()).contains(base.getFileName().toString(), "tampered with or damaged");
            assertThat(verify.noStackTrace()).as(verify.err()).isTrue();
        } finally {
            FileTrees.deleteRecursively(copy);
        }
    }

    @Test
    @Order(4)
    void theArchiveCommandRefusesADifferentSegmentUnderAnArchivedNameAndAcceptsTheSameContent() throws Exception {
        PgTestCluster c = pg.cluster();
        Path archived = firstSegment(c.archiveDir());
        Path script = c.archiveDir().resolve(".pitr/bin/archive-wal");
        Path same = c.baseDir().resolve("same-segment");
        try (var plain = AgeProgram.find(System.getenv()).decrypting(archived,
                io.pitrconsole.repository.encryption.Keyring.of(EncryptionKey.load(AgeProgram.find(System.getenv()), key)), "test")) {
            Files.copy(plain, same);
        }
        Path different = c.baseDir().resolve("different-segment");
        byte[] noise = new byte[16 << 20];
        new Random(7).nextBytes(noise);
        Files.write(different, noise);
        c.giveToServerUser(same);
        c.giveToServerUser(different);
        byte[] before = Files.readAllBytes(archived);
        try {
            Run identical = asServer(script, same, archived.getFileName().toString());
            assertThat(identical.exit()).as(identical.output()).isZero();
            Run refused = asServer(script, different, archived.getFileName().toString());
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.output()).contains("refusing to overwrite", archived.getFileName().toString());
            assertThat(archived).hasBinaryContent(before);
        } finally {
            Files.deleteIfExists(same);
            Files.deleteIfExists(different);
        }
    }

    record Run(int exit, String output) {
    }

    private static Run asServer(Path script, Path source, String name) throws Exception {
        Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", script.toString(), source.toString(), name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    @Order(5)
    void anInPlaceRestoreFromTheEncryptedRepositoryHasTheRowsOfThatTimeArchivesEncryptedAndRollsBack() throws Exception {
        PgTestCluster c = pg.cluster();
        JsonNode report = Json.mapper().readTree(ok(cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--in-place",
                "--data-dir", c.dataDir().toString(), "--yes", "--json")).out());
        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("100");
        Path aside = Path.of(report.path("movedAside").path(c.dataDir().toString()).asText());
        // the restored server archives its new timeline with the same encrypting command
        String segment = switchAndWaitArchived(c);
        Path archived = c.archiveDir().resolve("wal_archive").resolve(segment);
        assertThat(new String(Files.readAllBytes(archived), 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
        assertThat(holdsMarker(archived)).isFalse();

        ok(cli("restore", "rollback"));
        assertThat(aside).doesNotExist();
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("150");
        // after every verb of this class (journals, reports, caches included) the repository holds no plain data
        for (Path f : filesUnder(c.archiveDir())) {
            assertThat(holdsMarker(f)).as(f + " holds the marker").isFalse();
        }
    }

    @Test
    @Order(6)
    void aKilledBackupsPlainStagingDirectoryIsRemovedByTheNextBackup() throws Exception {
        PgTestCluster c = pg.cluster();
        Path staging = home.resolve("cache").resolve("pitr-console").resolve("encrypting");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main", "backup", "create",
                "--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres",
                "--pg-bin", c.installation().binDir().toString(), "--encryption-key-file", key.toString(), "--max-rate", "256k"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(c.baseDir().resolve("killed-backup.out").toFile());
        pb.environment().putAll(ENV);
        Process p = pb.start();
        Path left;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Optional<Path> writing = Optional.empty();
            while (writing.isEmpty()) {
                assertThat(System.nanoTime()).as("pg_basebackup writes into the private directory within 60 s").isLessThan(deadline);
                assertThat(p.isAlive()).as("the backup is still running").isTrue();
                writing = Files.isDirectory(staging) ? filesUnder(staging).stream().filter(f -> f.toFile().length() > 0).findFirst() : Optional.empty();
                Thread.sleep(100);
            }
            left = staging.relativize(writing.get()).getName(0);
        } finally {
            p.destroyForcibly(); // SIGKILL: the process gets no chance to clean up
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(staging.resolve(left)).as("what the killed backup left").isDirectory();

        ok(cli("backup", "create"));
        assertThat(staging.resolve(left)).as("removed by the next backup").doesNotExist();
        try (Stream<Path> s = Files.list(staging)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
