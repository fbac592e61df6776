package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.encryption.AgeProgram;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An encrypted repository in a bucket of s3proxy that a real PostgreSQL 15 archives into with
 * zstd: the server's script compresses each segment, then encrypts it, before it leaves the
 * server's host. Then its key is rotated: with the new key alone every verb works and the old one
 * is refused, naming the new key's fingerprint, and the server's re-installed script encrypts to
 * the new key. A second rotation killed midway (bounded rounds) leaves every object readable, and
 * run again it finishes with nothing lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketKeyRotationTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static final long SEGMENT = 16L * 1024 * 1024;
    private static final String MARKER = "pitr-marker-" + UUID.randomUUID();
    private static BucketArchiving bucket;
    private static Path oldKey;
    private static Path newKey;
    private static Path newerKey;
    private static EncryptionKey loadedNew;
    private static EncryptionKey loadedNewer;
    private static OffsetDateTime betweenFirstAndSecond;
    private static String backupId;
    private static String firstSegment;

    @BeforeAll
    static void compressedEncryptedHistoryInTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        AgeProgram age = AgeProgram.find(System.getenv());
        oldKey = c.baseDir().resolve("old.key");
        newKey = c.baseDir().resolve("new.key");
        newerKey = c.baseDir().resolve("newer.key");
        age.generate(oldKey);
        loadedNew = age.generate(newKey);
        loadedNewer = age.generate(newerKey);
        for (Path k : List.of(oldKey, newKey, newerKey)) {
            // the server's OS user reads the key files where the console does: its restore_command decrypts
            c.giveToServerUser(k);
            Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rw-------"));
        }
        bucket = BucketArchiving.apply(c, s3, "--compress", "zstd", "--encryption-key-file", oldKey.toString());
        c.sql("CREATE TABLE t (id int, batch int, note text)");
        backupId = Json.mapper().readTree(ok(cli(List.of(oldKey), "backup", "create", "--history-wait", "0", "--json")).out())
                .path("id").asText();
        c.sql("INSERT INTO t SELECT g, 1, '" + MARKER + "' FROM generate_series(1, 100) g");
        OffsetDateTime afterFirst = c.serverNow();
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        c.sql("INSERT INTO t SELECT g, 2, '" + MARKER + "' FROM generate_series(1, 50) g");
        firstSegment = bucket.switchAndWaitArchived();
        // a few segments more: the killed rotation below has files left to do when it is killed
        for (int i = 0; i < 4; i++) {
            c.sql("INSERT INTO t SELECT g, 3, 'more' FROM generate_series(1, 10) g");
            bucket.switchAndWaitArchived();
        }
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (bucket != null) {
            bucket.close();
        }
    }


    private static CliRunner.Result ok(CliRunner.Result r) {
        return BucketArchiving.ok(r);
    }

    /** A verb with these key files: the first the current key, the others older keys. */
    private static CliRunner.Result cli(List<Path> keys, String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(keyOptions(keys));
        return bucket.cli(a.toArray(String[]::new));
    }

    private static List<String> keyOptions(List<Path> keys) {
        List<String> a = new ArrayList<>(List.of("--encryption-key-file", keys.get(0).toString()));
        keys.stream().skip(1).forEach(k -> a.addAll(List.of("--encryption-old-key-file", k.toString())));
        return a;
    }

    private static long rowsAt(List<Path> keys, String... target) throws IOException {
        List<String> verb = new ArrayList<>(List.of("restore", "run"));
        verb.addAll(List.of(target));
        verb.addAll(List.of("--rehearsal", "--json"));
        JsonNode report = Json.mapper().readTree(ok(cli(keys, verb.toArray(String[]::new))).out());
        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        return report.path("rowCounts").path("public.t").asLong();
    }

    private static byte[] object(String name) {
        try (S3Client client = s3.client()) {
            return client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/" + name)).asByteArray();
        }
    }

    private static void putObject(String name, byte[] content) {
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/" + name), RequestBody.fromBytes(content));
        }
    }

    /** The repository's backup files and WAL files (not its records), by name under the prefix. */
    private static List<String> storedFiles() {
        return bucket.objects().keySet().stream().filter(k -> !k.endsWith("backup.json") && !k.contains("/.incoming/")
                && (k.startsWith("wal_archive/") || k.startsWith(backupId + "/"))).toList();
    }

    /** Whether age opens the object with this key file alone. */
    private static boolean opens(Path keyFile, String name) throws Exception {
        Path copy = Files.createTempFile(bucket.home(), "object-", ".age");
        try {
            Files.write(copy, object(name));
            Process p = new ProcessBuilder("age", "--decrypt", "--identity", keyFile.toString(), "--output", "/dev/null", copy.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return p.exitValue() == 0;
        } finally {
            Files.delete(copy);
        }
    }

    private static boolean holds(byte[] content, byte[] needle) {
        return new String(content, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    @Test
    @Order(1)
    void eachSegmentIsCompressedThenEncryptedAndNoObjectHoldsTheMarker() throws Exception {
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        // the marker is there to be found in plain WAL: the search below can fail
        assertThat(pg.cluster().plainWalHolds(MARKER)).as("the marker in the server's own pg_wal").isTrue();

        Map<String, String> objects = bucket.objects();
        assertThat(objects.keySet()).as("segments stored under the compressed name")
                .anyMatch(k -> k.equals("wal_archive/" + firstSegment + ".zst"))
                .noneMatch(k -> k.matches("wal_archive/[0-9A-F]{24}"));
        for (String name : objects.keySet()) {
            byte[] content = object(name);
            assertThat(holds(content, marker)).as(name + " holds the marker").isFalse();
            if (name.matches("wal_archive/[0-9A-F]{24}\\.zst")) {
                assertThat(new String(content, 0, 21, StandardCharsets.US_ASCII)).as(name).isEqualTo("age-encryption.org/v1");
                // encrypted whole, a segment is 16 MiB and more: this one was compressed before it was encrypted
                assertThat((long) content.length).as(name).isLessThan(SEGMENT / 4);
            }
        }
        assertThat(pg.cluster().queryOne("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");
    }

    @Test
    @Order(2)
    void withTheKeyVerifyWindowsAndARehearsalToAMidPointWork() throws Exception {
        JsonNode verify = Json.mapper().readTree(ok(cli(List.of(oldKey), "backup", "verify", backupId, "--json")).out());
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
        JsonNode windows = Json.mapper().readTree(ok(cli(List.of(oldKey), "windows", "--json")).out());
        assertThat(windows.toString()).contains(backupId);
        assertThat(rowsAt(List.of(oldKey), "--to", betweenFirstAndSecond.toString())).isEqualTo(100);
    }

    @Test
    @Order(3)
    void aFlippedByteInACompressedEncryptedSegmentIsReportedAsTamperingNamingIt() throws Exception {
        String name = "wal_archive/" + firstSegment + ".zst";
        byte[] intact = object(name);
        byte[] flipped = intact.clone();
        flipped[flipped.length / 2] ^= 0x01;
        // S3 keeps an object's time to the second, and the WAL index tells a changed object by size and time
        Thread.sleep(1100);
        putObject(name, flipped);
        try {
            CliRunner.Result r = cli(List.of(oldKey), "restore", "run", "--latest", "--rehearsal");
            assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
            assertThat(r.noStackTrace()).as(r.err()).isTrue();
            assertThat(r.out() + r.err()).contains(firstSegment).contains("tampered with or damaged");
        } finally {
            Thread.sleep(1100);
            putObject(name, intact);
        }
    }

    @Test
    @Order(4)
    void afterARotationTheNewKeyAloneReadsEverythingTheOldIsRefusedAndTheServerArchivesToTheNewKey() throws Exception {
        List<String> before = storedFiles();
        CliRunner.Result rotated = ok(cli(List.of(oldKey), "key", "rotate", "--new-key-file", newKey.toString()));
        assertThat(rotated.out()).contains("archive_command script re-installed", "0 already under the new key");
        assertThat(storedFiles()).as("the same files, rewritten in place").isEqualTo(before);
        for (String name : before) {
            assertThat(opens(newKey, name)).as(name + " opens with the new key").isTrue();
            assertThat(opens(oldKey, name)).as(name + " no longer opens with the old key").isFalse();
        }

        JsonNode verify = Json.mapper().readTree(ok(cli(List.of(newKey), "backup", "verify", backupId, "--json")).out());
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
        assertThat(ok(cli(List.of(newKey), "windows", "--json")).out()).contains(backupId);
        assertThat(rowsAt(List.of(newKey), "--to", betweenFirstAndSecond.toString())).isEqualTo(100);

        CliRunner.Result old = cli(List.of(oldKey), "windows");
        assertThat(old.exit()).isNotZero();
        assertThat(old.noStackTrace()).as(old.err()).isTrue();
        assertThat(old.err()).contains("encrypted with the key of fingerprint " + loadedNew.fingerprint()).contains("hint:");

        // the re-installed script: still zstd, now to the new key
        PgTestCluster c = pg.cluster();
        Path script = Path.of(c.queryOne("SHOW archive_command").split("\"")[1]);
        assertThat(Files.readString(script)).contains("COMPRESS=zstd").contains(loadedNew.recipient()).doesNotContain("AGE-SECRET-KEY");
        c.sql("INSERT INTO t SELECT g, 4, 'after the rotation' FROM generate_series(1, 7) g");
        String after = bucket.switchAndWaitArchived();
        String archivedAfter = "wal_archive/" + after + ".zst";
        assertThat(opens(newKey, archivedAfter)).as("archived after the rotation: under the new key").isTrue();
        assertThat(opens(oldKey, archivedAfter)).as("not under the old one").isFalse();
        assertThat(rowsAt(List.of(newKey), "--latest")).isEqualTo(100 + 50 + 40 + 7);
    }

    @Test
    @Order(5)
    void aRotationKilledMidwayLeavesEveryObjectReadableAndARunAgainFinishesWithNothingLost() throws Exception {
        List<String> before = storedFiles();
        Map<String, String> tags = bucket.objects();
        int killed = 0;
        // bounded: at most two kills, each after more objects were replaced
        for (int round = 1; round <= 2; round++) {
            Process p = startRotation(round);
            try {
                int wanted = round * 2;
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (p.isAlive() && replacedSince(tags) < wanted && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            if (p.exitValue() == 0) {
                break;
            }
            killed++;
            assertThat(storedFiles()).as("nothing lost after kill " + round).isEqualTo(before);
        }
        assertThat(killed).as("the rotation was killed midway at least once").isPositive();
        assertThat(replacedSince(tags)).as("objects replaced before the kills").isPositive().isLessThan(before.size());
        // the newest key is recorded before any file is rewritten: every object opens with one of the two
        JsonNode killedVerify = Json.mapper().readTree(ok(cli(List.of(newerKey, newKey), "backup", "verify", backupId, "--json")).out());
        assertThat(killedVerify.path("ok").asBoolean()).as(killedVerify.toString()).isTrue();
        assertThat(ok(cli(List.of(newerKey, newKey), "wal", "status", "--verify")).out()).contains("gaps: none", "damaged segments: none");

        CliRunner.Result r = ok(cli(List.of(newKey), "key", "rotate", "--new-key-file", newerKey.toString()));
        java.util.regex.Matcher already = java.util.regex.Pattern.compile("WAL files: \\d+ re-encrypted, (\\d+) already under the new key")
                .matcher(r.out());
        assertThat(already.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(already.group(1))).as("files done before the kills are skipped: " + r.out()).isPositive();
        assertThat(storedFiles()).as("nothing lost").isEqualTo(before);
        for (String name : before) {
            assertThat(opens(newerKey, name)).as(name + " under the newest key").isTrue();
        }
        JsonNode verify = Json.mapper().readTree(ok(cli(List.of(newerKey), "backup", "verify", backupId, "--json")).out());
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
        assertThat(rowsAt(List.of(newerKey), "--latest")).isEqualTo(100 + 50 + 40 + 7);
        CliRunner.Result previous = cli(List.of(newKey), "windows");
        assertThat(previous.exit()).isNotZero();
        assertThat(previous.err()).contains("encrypted with the key of fingerprint " + loadedNewer.fingerprint());
        Path staging = bucket.home().resolve("cache").resolve("pitr-console").resolve("encrypting");
        if (Files.exists(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                assertThat(s.map(Path::getFileName).map(Path::toString).filter(n -> n.startsWith("rekey-")).toList())
                        .as("no re-encrypted file left in the cache").isEmpty();
            }
        }
    }

    /** `key rotate` from the new key to the newest in a JVM of its own, which the test kills. */
    private static Process startRotation(int round) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main", "key", "rotate", "--new-key-file", newerKey.toString(),
                "--archive", bucket.location(), "--s3-endpoint", s3.endpoint().toString(), "--s3-path-style",
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres"));
        cmd.addAll(keyOptions(List.of(newKey)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(bucket.home().resolve("rotate-" + round + ".out").toFile());
        pb.environment().putAll(bucket.env());
        return pb.start();
    }

    /** How many of the stored objects were replaced since these tags (a replaced object has a new ETag or size). */
    private static int replacedSince(Map<String, String> tags) {
        Map<String, String> now = bucket.objects();
        return (int) storedFilesOf(tags).stream().filter(k -> !tags.get(k).equals(now.get(k))).count();
    }

    private static List<String> storedFilesOf(Map<String, String> objects) {
        return objects.keySet().stream().filter(k -> !k.endsWith("backup.json") && !k.contains("/.incoming/")
                && (k.startsWith("wal_archive/") || k.startsWith(backupId + "/"))).toList();
    }
}
