package io.pitrconsole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.PgBackRestOptions;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.session.ClusterServices;
import io.pitrconsole.session.KeyFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing an encrypted repository's key with the key verbs: the real age program, a local directory
 * repository whose backup files and WAL files went in through its stores, an interrupted rotation
 * (its JVM killed) and the errors a user meets.
 */
class KeyRotationTest {
    private static final int WAL_FILES = 8;
    private static final String BACKUP = "backup_20260101_120000";
    @TempDir
    Path dir;
    private Path archive;
    private Path oldKey;
    private Path newKey;
    private Map<String, String> env;
    private final Map<String, byte[]> wal = new LinkedHashMap<>();
    private final Map<String, byte[]> backupFiles = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        archive = Files.createDirectories(dir.resolve("archive"));
        env = new HashMap<>(System.getenv());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.remove(KeyFiles.ENV);
        oldKey = dir.resolve("old.key");
        newKey = dir.resolve("new.key");
        CliRunner.Result created = CliRunner.run(env, "key", "create", oldKey.toString());
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().contains("fingerprint: " + key(oldKey).fingerprint()), created.out());
        assertTrue(created.out().contains("recipient:   " + key(oldKey).recipient()), created.out());
        assertTrue(created.err().contains("keep a copy of " + oldKey), created.err());
        assertEquals(0, CliRunner.run(env, "key", "create", newKey.toString()).exit());
    }

    private EncryptionKey key(Path file) {
        return ClusterServices.readKey(file, env);
    }

    private Repository open(Path current, Path... older) {
        return ClusterServices.openRepository(archive.toString(), S3Options.NONE, PgBackRestOptions.NONE,
                new KeyFiles(Optional.ofNullable(current), List.of(older)), env);
    }

    /** WAL files and a backup's files, put through the encrypted repository's stores. */
    private void fill() throws IOException {
        Repository r = open(oldKey);
        Random random = new Random(20);
        for (int i = 1; i <= WAL_FILES; i++) {
            byte[] b = new byte[16 << 20];
            random.nextBytes(b);
            String marker = "marker-" + i;
            System.arraycopy(marker.getBytes(StandardCharsets.US_ASCII), 0, b, 4096, marker.length());
            String name = String.format("0000000100000000000000%02X", i);
            r.wal().put(name, new ByteArrayInputStream(b));
            wal.put(name, b);
        }
        BackupStore.NewBackup b = r.backups().create(BACKUP);
        for (String f : List.of("backup_manifest", "base.tar", "pg_wal.tar")) {
            byte[] content = new byte[f.equals("base.tar") ? 24 << 20 : 300_000];
            random.nextBytes(content);
            Files.write(b.incoming().resolve(f), content);
            backupFiles.put(f, content);
        }
        b.commit(Cancellation.none());
        r.backups().writeRecord(BACKUP, ("{\"id\":\"" + BACKUP + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** Every file reads back as put there, through a repository opened with these keys. */
    private void assertAllReadable(Path current, Path... older) throws IOException {
        Repository r = open(current, older);
        assertEquals(new ArrayList<>(wal.keySet()), r.wal().list().stream().map(f -> f.name()).toList());
        for (var e : wal.entrySet()) {
            try (InputStream in = r.wal().open(e.getKey())) {
                assertArrayEquals(e.getValue(), in.readAllBytes(), e.getKey());
            }
        }
        assertEquals(new ArrayList<>(backupFiles.keySet()), r.backups().files(BACKUP));
        for (var e : backupFiles.entrySet()) {
            try (InputStream in = r.backups().open(BACKUP, e.getKey())) {
                assertArrayEquals(e.getValue(), in.readAllBytes(), e.getKey());
            }
        }
    }

    private String encryptionJson() throws IOException {
        return new String(open(oldKey, newKey).read(RepositoryDocument.ENCRYPTION).orElseThrow(), StandardCharsets.UTF_8);
    }

    /** The stored WAL files and backup files; temporary dot-names of a rotation under way are not listed. */
    private List<Path> storedFiles() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path d : List.of(archive.resolve("wal_archive"), archive.resolve(BACKUP))) {
            // listing names only: a rotation replaces files meanwhile, and a name that vanishes is no error
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("backup.json")).forEach(found::add);
            }
        }
        return found;
    }

    @Test
    void keyShowPrintsFingerprintAndRecipientAndNeverTheKey() throws IOException {
        CliRunner.Result r = CliRunner.run(env, "key", "show", oldKey.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(key(oldKey).fingerprint().value()) && r.out().contains(key(oldKey).recipient()), r.out());
        assertFalse(r.out().contains("AGE-SECRET-KEY") || r.err().contains("AGE-SECRET-KEY"), "never the secret");
        CliRunner.Result again = CliRunner.run(env, "key", "create", oldKey.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
        assertTrue(Files.readString(oldKey).contains("AGE-SECRET-KEY"), "the existing key file is left as it is");
    }

    @Test
    void rotationReEncryptsEveryFileSoTheNewKeyAloneReadsThemAndTheOldOneIsRefused() throws IOException {
        fill();
        Map<Path, byte[]> before = new HashMap<>();
        for (Path p : storedFiles()) {
            before.put(p, Files.readAllBytes(p));
        }
        assertEquals(WAL_FILES + backupFiles.size(), before.size());

        CliRunner.Result r = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("WAL files: " + WAL_FILES + " re-encrypted, 0 already"), r.out());
        assertTrue(r.out().contains("backup files: 3 re-encrypted, 0 already"), r.out());
        for (Path p : storedFiles()) {
            assertFalse(Arrays.equals(before.get(p), Files.readAllBytes(p)), p + " was rewritten");
        }
        assertAllReadable(newKey);
        String doc = encryptionJson();
        assertTrue(doc.contains(key(newKey).fingerprint().value()) && !doc.contains(key(oldKey).fingerprint().value()), doc);
        PitrException old = assertThrows(PitrException.class, () -> open(oldKey));
        assertTrue(old.getMessage().contains("encrypted with the key of fingerprint " + key(newKey).fingerprint()), old.getMessage());
        try (Stream<Path> s = Files.walk(archive)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }

        CliRunner.Result repeated = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(0, repeated.exit(), repeated.out() + repeated.err());
        assertTrue(repeated.out().contains("WAL files: 0 re-encrypted, " + WAL_FILES + " already under the new key"), repeated.out());

        CliRunner.Result again = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", newKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("is the repository's only key already: there is nothing to re-encrypt"), again.err());
        assertTrue(again.noStackTrace(), again.err());
    }

    @Test
    void anInterruptedRotationLeavesEveryFileReadableWithBothKeysAndARunAgainFinishes() throws Exception {
        fill();
        // bounded: at most three kills, each at a later point of the rotation
        int killed = 0;
        for (int round = 1; round <= 3; round++) {
            FileTime start = FileTime.from(java.time.Instant.now());
            Process p = startRotation("rotate-" + round);
            try {
                int wanted = round * 2;
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (p.isAlive() && rewrittenSince(start) < wanted && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            if (p.exitValue() == 0) {
                break;
            }
            killed++;
            assertAllReadable(oldKey, newKey);
            String doc = encryptionJson();
            assertTrue(doc.contains(key(newKey).fingerprint().value()), "the new key is recorded before any file is rewritten: " + doc);
        }
        assertTrue(killed >= 1, "the rotation was killed mid-way at least once");

        CliRunner.Result r = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("WAL files: " + WAL_FILES + " re-encrypted"), "files done before the kill are skipped: " + r.out());
        assertAllReadable(newKey);
        assertFalse(encryptionJson().contains(key(oldKey).fingerprint().value()));
    }

    /**
     * A rotation killed while it re-encrypts a file leaves that file's new bytes in this user's
     * cache, where no process of its own removes them: the next command that opens the repository
     * with keys does, and the rotation run again finishes with nothing left there.
     */
    @Test
    void aKilledRotationsReEncryptedFileInTheCacheIsRemovedByTheNextCommandWithTheKeys() throws Exception {
        fill();
        Path staging = dir.resolve("cache").resolve("pitr-console").resolve("encrypting");
        List<Path> left = List.of();
        // bounded: the kill must land while a file is being re-encrypted, which a few tries give
        for (int round = 1; round <= 3 && left.isEmpty(); round++) {
            Process p = startRotation("rekey-kill-" + round);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (p.isAlive() && rekeyFiles(staging).isEmpty() && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(2);
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            left = rekeyFiles(staging);
        }
        assertFalse(left.isEmpty(), "a killed rotation left a re-encrypted file in " + staging);

        // the rotation recorded the new key first: the repository opens with both
        CliRunner.Result list = CliRunner.run(env, "backup", "list", "--archive", archive.toString(), "--encryption-key-file", newKey.toString(),
                "--encryption-old-key-file", oldKey.toString());
        assertEquals(0, list.exit(), list.out() + list.err());
        assertEquals(List.of(), rekeyFiles(staging), "removed by the next command that opened the repository with keys");

        CliRunner.Result r = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertAllReadable(newKey);
        assertEquals(List.of(), rekeyFiles(staging));
    }

    private static List<Path> rekeyFiles(Path staging) throws IOException {
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(staging)) {
            return s.filter(f -> f.getFileName().toString().startsWith("rekey-")).toList();
        }
    }

    private Process startRotation(String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main", "key", "rotate", "--archive", archive.toString(),
                "--encryption-key-file", oldKey.toString(), "--new-key-file", newKey.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private int rewrittenSince(FileTime start) throws IOException {
        int n = 0;
        for (Path p : storedFiles()) {
            try {
                if (Files.getLastModifiedTime(p).compareTo(start) > 0) {
                    n++;
                }
            } catch (java.nio.file.NoSuchFileException racing) {
                // being replaced right now
            }
        }
        return n;
    }

    @Test
    void addedKeyEncryptsNewFilesWhileOldFilesNeedTheOldKey() throws IOException {
        fill();
        CliRunner.Result r = CliRunner.run(env, "key", "add", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("new files are encrypted to key " + key(newKey).fingerprint()), r.out());

        byte[] later = "a later WAL history file".getBytes(StandardCharsets.US_ASCII);
        open(newKey, oldKey).wal().put("00000002.history", new ByteArrayInputStream(later));
        wal.put("00000002.history", later);
        assertAllReadable(newKey, oldKey);

        PitrException onlyNew = assertThrows(PitrException.class, () -> open(newKey));
        assertTrue(onlyNew.getMessage().contains("also holds files encrypted to the older key " + key(oldKey).fingerprint()), onlyNew.getMessage());
        assertTrue(onlyNew.hint().contains("--encryption-old-key-file"), onlyNew.hint());
        PitrException onlyOld = assertThrows(PitrException.class, () -> open(oldKey));
        assertTrue(onlyOld.getMessage().contains("encrypted with the key of fingerprint " + key(newKey).fingerprint()), onlyOld.getMessage());
        // the new file is under the new key alone: the old key does not open it
        Path history = archive.resolve("wal_archive").resolve("00000002.history");
        assertTrue(Files.readString(history, StandardCharsets.ISO_8859_1).startsWith("age-encryption.org/v1"));

        // and a rotation then puts every file under the new key
        CliRunner.Result rotated = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(0, rotated.exit(), rotated.out() + rotated.err());
        assertTrue(rotated.out().contains("WAL files: " + WAL_FILES + " re-encrypted, 1 already under the new key"), rotated.out());
        assertAllReadable(newKey);
    }

    @Test
    void rotationWaitsForNoOneAndTouchesNothingWhileARestoreHoldsTheRepository() throws Exception {
        fill();
        Process restore = ArchiveLockHolder.start(archive, io.pitrconsole.repository.LockUse.RESTORE, dir);
        try {
            CliRunner.Result r = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                    "--new-key-file", newKey.toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("the archive is busy: restore"), r.err());
            assertTrue(r.noStackTrace(), r.err());
        } finally {
            restore.getOutputStream().close();
            restore.waitFor(30, TimeUnit.SECONDS);
            restore.destroyForcibly();
        }
        assertFalse(encryptionJson().contains(key(newKey).fingerprint().value()), "nothing changed");
        assertAllReadable(oldKey);
    }

    @Test
    void rotationRefusesAWrongCurrentKeyAMissingNewKeyAndAPlainRepository() throws IOException {
        fill();
        Path other = dir.resolve("other.key");
        assertEquals(0, CliRunner.run(env, "key", "create", other.toString()).exit());
        CliRunner.Result wrong = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", other.toString(),
                "--new-key-file", newKey.toString());
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("encrypted with the key of fingerprint " + key(oldKey).fingerprint()), wrong.err());

        CliRunner.Result missing = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", dir.resolve("nowhere.key").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("nowhere.key does not exist"), missing.err());

        CliRunner.Result same = CliRunner.run(env, "key", "rotate", "--archive", archive.toString(), "--encryption-key-file", oldKey.toString(),
                "--new-key-file", oldKey.toString());
        assertEquals(1, same.exit());
        assertTrue(same.err().contains("is the repository's only key already"), same.err());
        for (CliRunner.Result r : List.of(wrong, missing, same)) {
            assertTrue(r.noStackTrace(), r.err());
        }
        assertAllReadable(oldKey);
        assertFalse(encryptionJson().contains(key(newKey).fingerprint().value()), "nothing changed");

        Path plain = Files.createDirectories(dir.resolve("plain"));
        ClusterServices.openRepository(plain.toString(), S3Options.NONE, PgBackRestOptions.NONE, KeyFiles.NONE, env).wal()
                .put("000000010000000000000001", new ByteArrayInputStream(new byte[1024]));
        CliRunner.Result noKey = CliRunner.run(env, "key", "rotate", "--archive", plain.toString(), "--new-key-file", newKey.toString());
        assertEquals(1, noKey.exit());
        assertTrue(noKey.err().contains("is not encrypted: it has no key to change"), noKey.err());
        assertTrue(noKey.noStackTrace(), noKey.err());
    }
}
