package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.encryption.AgeProgram;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.session.KeyFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * An encrypted repository in a bucket, end to end: a real PostgreSQL 15 cluster archives into a
 * bucket of s3proxy through the script 'archiving apply' installs with a key (age on the server's
 * host), a backup goes up encrypted while pg_basebackup writes it; rows carrying a marker are
 * committed at known moments. No object in the bucket holds the marker; with the key, verify,
 * windows and a rehearsal to a mid-point work; without it or with another key every verb fails
 * naming the key's fingerprint; a flipped byte in a WAL object or a base.tar is named as tampering;
 * the archive_command keeps its never-overwrite rule by decrypting what is there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketEncryptionTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static final String MARKER = "pitr-marker-" + UUID.randomUUID();
    private static BucketArchiving bucket;
    private static Path key;
    private static Path otherKey;
    private static EncryptionKey loaded;
    private static EncryptionKey otherLoaded;
    private static OffsetDateTime betweenFirstAndSecond;
    private static String backupId;
    private static String firstSegment;

    @BeforeAll
    static void encryptedHistoryInTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        AgeProgram age = AgeProgram.find(System.getenv());
        key = c.baseDir().resolve("repository.key");
        otherKey = c.baseDir().resolve("other.key");
        loaded = age.generate(key);
        otherLoaded = age.generate(otherKey);
        // the server's OS user reads the key where the console does: its restore_command decrypts
        c.giveToServerUser(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        bucket = BucketArchiving.apply(c, s3, "--encryption-key-file", key.toString());
        c.sql("CREATE TABLE t (id int, batch int, note text)");
        c.sql("INSERT INTO t SELECT g, 0, '" + MARKER + "' FROM generate_series(1, 20) g");
        JsonNode created = Json.mapper().readTree(ok(withKey(key, "backup", "create", "--compress", "none", "--history-wait", "0", "--json")).out());
        backupId = created.path("id").asText();
        c.sql("INSERT INTO t SELECT g, 1, '" + MARKER + "' FROM generate_series(1, 80) g");
        OffsetDateTime afterFirst = c.serverNow();
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        c.sql("INSERT INTO t SELECT g, 2, '" + MARKER + "' FROM generate_series(1, 50) g");
        firstSegment = bucket.switchAndWaitArchived();
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

    /** A verb with a key file given (or none), in PITR_ENCRYPTION_KEY_FILE: the same for every verb. */
    private static synchronized CliRunner.Result withKey(Path keyFile, String... verb) {
        Map<String, String> env = bucket.env();
        if (keyFile == null) {
            env.remove(KeyFiles.ENV);
        } else {
            env.put(KeyFiles.ENV, keyFile.toString());
        }
        try {
            return bucket.cli(verb);
        } finally {
            env.remove(KeyFiles.ENV);
        }
    }

    private static CliRunner.Result failedClearly(CliRunner.Result r) {
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        assertThat(r.out() + r.err()).contains("hint:");
        return r;
    }

    private static String walKey(String name) {
        return BucketArchiving.PREFIX + "/wal_archive/" + name;
    }

    private static byte[] object(String key) {
        try (S3Client client = s3.client()) {
            return client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(key)).asByteArray();
        }
    }

    private static void putObject(String key, byte[] content) {
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket.bucket()).key(key), RequestBody.fromBytes(content));
        }
    }

    // S3 keeps an object's time to the second, and the WAL index tells a changed object by size and time
    private static void laterSecondThan(String key) throws InterruptedException {
        Instant stored;
        try (S3Client client = s3.client()) {
            stored = client.headObject(r -> r.bucket(bucket.bucket()).key(key)).lastModified();
        }
        while (!Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(stored)) {
            Thread.sleep(50);
        }
    }

    private static boolean holds(byte[] content, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= content.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] encrypt(byte[] plain, String recipient) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = AgeProgram.find(System.getenv()).encrypting(sealed, List.of(recipient))) {
            out.write(plain);
        }
        return sealed.toByteArray();
    }

    /** The installed script run as the server's OS user, as the server runs it. */
    private static ProcessResult asServer(String... args) throws Exception {
        Path script = Path.of(pg.cluster().queryOne("SHOW archive_command").split("\"")[1]);
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pg.cluster().dataDir().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    private record ProcessResult(int exit, String out) {
    }

    @Test
    @Order(1)
    void noObjectInTheBucketHoldsTheMarkerWrittenIntoTheDatabase() throws Exception {
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        // the marker is there to be found in plain WAL: the search below can fail
        assertThat(pg.cluster().plainWalHolds(MARKER)).as("the marker in the server's own pg_wal").isTrue();

        Map<String, Integer> objects = new TreeMap<>();
        List<String> holding = new ArrayList<>();
        try (S3Client client = s3.client()) {
            client.listObjectsV2Paginator(r -> r.bucket(bucket.bucket())).contents().forEach(o -> {
                if (o.key().endsWith("/")) {
                    return;
                }
                byte[] content = client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(o.key())).asByteArray();
                objects.put(o.key(), content.length);
                if (holds(content, marker)) {
                    holding.add(o.key());
                }
            });
        }
        assertThat(objects.keySet()).as("what the bucket holds")
                .anyMatch(k -> k.endsWith("/" + backupId + "/base.tar"))
                .anyMatch(k -> k.endsWith("/wal_archive/" + firstSegment))
                .anyMatch(k -> k.endsWith("/.pitr/encryption.json"));
        assertThat(holding).as("objects holding the marker, of " + objects).isEmpty();
        // every backup file and WAL file is an age file; the records stay plain
        objects.keySet().stream().filter(k -> k.contains("/wal_archive/") || (k.contains("/" + backupId + "/") && !k.endsWith("backup.json")
                && !k.contains("/.incoming/"))).forEach(k ->
                assertThat(new String(object(k), 0, 21, StandardCharsets.US_ASCII)).as(k).isEqualTo("age-encryption.org/v1"));
        String record = new String(object(BucketArchiving.PREFIX + "/.pitr/encryption.json"), StandardCharsets.UTF_8);
        assertThat(record).contains(loaded.fingerprint().value()).contains(loaded.recipient()).doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    @Order(2)
    void withTheKeyVerifyWindowsAndARehearsalToAMidPointWork() throws Exception {
        JsonNode verify = Json.mapper().readTree(ok(withKey(key, "backup", "verify", backupId, "--json")).out());
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();

        JsonNode windows = Json.mapper().readTree(ok(withKey(key, "windows", "--json")).out());
        assertThat(windows.toString()).contains(backupId);

        JsonNode report = Json.mapper().readTree(ok(withKey(key, "restore", "run", "--to", betweenFirstAndSecond.toString(),
                "--rehearsal", "--json")).out());
        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(100);
    }

    @Test
    @Order(3)
    void withoutTheKeyOrWithAnotherEachVerbFailsNamingTheFingerprintItNeeds() {
        String expected = loaded.fingerprint().value();
        List<String[]> verbs = List.of(
                new String[] {"backup", "list"},
                new String[] {"backup", "verify", backupId},
                new String[] {"windows"},
                new String[] {"wal", "status"},
                new String[] {"restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal"},
                new String[] {"backup", "create", "--history-wait", "0"});
        for (String[] verb : verbs) {
            CliRunner.Result none = failedClearly(withKey(null, verb));
            assertThat(none.err()).as(String.join(" ", verb) + " without a key").contains(expected).contains("no key was given");
            CliRunner.Result other = failedClearly(withKey(otherKey, verb));
            assertThat(other.err()).as(String.join(" ", verb) + " with another key").contains(expected)
                    .contains(otherLoaded.fingerprint().value());
        }
        assertThat(bucket.objects().keySet()).as("no backup was started").noneMatch(k -> k.matches("backup_\\d.*") && !k.startsWith(backupId));
    }

    @Test
    @Order(4)
    void aFlippedByteInAnEncryptedWalObjectIsReportedAsTamperingNamingIt() throws Exception {
        String name = walKey(firstSegment);
        byte[] intact = object(name);
        byte[] flipped = intact.clone();
        flipped[flipped.length / 2] ^= 0x01;
        laterSecondThan(name);
        putObject(name, flipped);
        try {
            CliRunner.Result rehearsal = failedClearly(withKey(key, "restore", "run", "--latest", "--rehearsal"));
            assertThat(rehearsal.out() + rehearsal.err()).contains(firstSegment).contains("tampered with or damaged");

            // the server's own restore_command says so too, and hands the server nothing
            Path into = pg.cluster().baseDir().resolve("fetched-" + UUID.randomUUID());
            ProcessResult fetch = asServer("fetch", firstSegment, into.toString());
            assertThat(fetch.exit()).as(fetch.out()).isNotZero();
            assertThat(fetch.out()).contains("wal_archive/" + firstSegment + " was tampered with or damaged").contains("hint:");
            assertThat(into).doesNotExist();
            assertThat(Path.of(into + ".pitr-fetch")).doesNotExist();
            assertThat(Path.of(into + ".pitr-dec")).doesNotExist();
        } finally {
            laterSecondThan(name);
            putObject(name, intact);
        }
        JsonNode report = Json.mapper().readTree(ok(withKey(key, "restore", "run", "--latest", "--rehearsal", "--json")).out());
        assertThat(report.path("rowCounts").path("public.t").asLong()).as("intact again").isEqualTo(150);
    }

    @Test
    @Order(5)
    void aFlippedByteInAnEncryptedBaseTarIsReportedAsTamperingNamingIt() throws Exception {
        String name = BucketArchiving.PREFIX + "/" + backupId + "/base.tar";
        byte[] intact = object(name);
        byte[] flipped = intact.clone();
        flipped[flipped.length / 2] ^= 0x01;
        putObject(name, flipped);
        try {
            CliRunner.Result verify = withKey(key, "backup", "verify", backupId);
            assertThat(verify.exit()).as(verify.out() + verify.err()).isNotZero();
            assertThat(verify.noStackTrace()).as(verify.err()).isTrue();
            assertThat(verify.out() + verify.err()).contains("base.tar").contains("tampered with or damaged");
        } finally {
            putObject(name, intact);
        }
        ok(withKey(key, "backup", "verify", backupId));
    }

    @Test
    @Order(6)
    void theArchiveCommandRefusesAnotherSegmentUnderAnArchivedNameAndTakesTheSameOneDecrypted() throws Exception {
        PgTestCluster c = pg.cluster();
        Path script = Path.of(c.queryOne("SHOW archive_command").split("\"")[1]);
        assertThat(Files.readString(script)).as("the script names the key file, never the key").contains(key.toString())
                .contains(loaded.recipient()).doesNotContain("AGE-SECRET-KEY");
        // archiving verify: a segment switched now arrives, encrypted, and the server's OS user reads the key
        ok(withKey(key, "archiving", "verify"));
        // the script's fetch, as the server's OS user: the plain segment back from the encrypted object
        Path into = c.baseDir().resolve("fetched-" + UUID.randomUUID());
        ProcessResult fetch = asServer("fetch", firstSegment, into.toString());
        assertThat(fetch.exit()).as(fetch.out()).isZero();
        byte[] fetched = Files.readAllBytes(into);
        Files.delete(into);
        assertThat(fetched).hasSize(16 * 1024 * 1024);
        assertThat(holds(fetched, MARKER.getBytes(StandardCharsets.US_ASCII))).isTrue();

        c.sql("INSERT INTO t VALUES (3, 3, 'x')");
        String next = c.queryOne("SELECT pg_walfile_name(pg_current_wal_lsn())");
        // another server's segment under that name, encrypted to the repository's key
        putObject(walKey(next), encrypt("another server's segment".getBytes(StandardCharsets.US_ASCII), loaded.recipient()));
        long failedBefore = Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"));
        assertThat(c.queryOne("SELECT pg_walfile_name(pg_switch_wal())")).isEqualTo(next);
        waitFor(() -> Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver")) > failedBefore, "a failed archive attempt");
        assertThat(c.dataDir().resolve("pg_wal/archive_status/" + next + ".ready")).exists();
        assertThat(Files.readString(c.logFile())).contains("refusing to overwrite s3://" + bucket.bucket() + "/" + walKey(next));

        // the same segment, encrypted anew (age never gives the same bytes twice): archived
        byte[] segment = Files.readAllBytes(c.dataDir().resolve("pg_wal").resolve(next));
        byte[] sameSegment = encrypt(segment, loaded.recipient());
        putObject(walKey(next), sameSegment);
        waitFor(() -> next.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver")), "segment " + next + " archived");
        assertThat(object(walKey(next))).as("left as it was").isEqualTo(sameSegment);

        // the key file unreadable to the server's OS user: said so, by name
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        try {
            ProcessResult unreadable = asServer("fetch", firstSegment, into.toString());
            assertThat(unreadable.exit()).isNotZero();
            assertThat(unreadable.out()).contains("cannot read the encryption key file " + key).contains("hint:");
            assertThat(into).doesNotExist();
        } finally {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * An encrypted backup goes up while pg_basebackup writes it, as a plain one does: this machine
     * never holds its base.tar whole, plain or encrypted, and the bucket keeps no unfinished upload.
     */
    @Test
    @Order(7)
    void anEncryptedBackupGoesUpWhilePgBasebackupWritesItNeverStagedWhole() throws Exception {
        // ~110 MB more: base.tar is several 16 MiB parts
        pg.cluster().sql("CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 12) AS pad FROM generate_series(1, 250000) g");
        Path cache = bucket.home().resolve("cache");
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            try {
                while (!done.get()) {
                    peak.accumulateAndGet(allocated(cache), Math::max);
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        sampler.start();
        CliRunner.Result r;
        try {
            // at a rate a server's disks give, as BucketBackupStreamingTest does: the bound is the freeing and the hold
            r = withKey(key, "backup", "create", "--compress", "none", "--history-wait", "0", "--max-rate", "32M", "--json");
        } finally {
            done.set(true);
            sampler.join();
        }
        String id = Json.mapper().readTree(ok(r).out()).path("id").asText();
        long baseTar;
        try (S3Client client = s3.client()) {
            baseTar = client.headObject(q -> q.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/" + id + "/base.tar")).contentLength();
        }
        assertThat(baseTar).as("base.tar in the bucket").isGreaterThan(100L * 1024 * 1024);
        assertThat(peak.get()).as("peak bytes in the local cache while a %d MiB encrypted base.tar went up", baseTar >> 20)
                .isLessThan(baseTar / 2);
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(q -> q.bucket(bucket.bucket())).uploads()).as("unfinished uploads").isEmpty();
        }
        assertThat(new String(object(BucketArchiving.PREFIX + "/" + id + "/base.tar"), 0, 21, StandardCharsets.US_ASCII))
                .isEqualTo("age-encryption.org/v1");
        JsonNode verify = Json.mapper().readTree(ok(withKey(key, "backup", "verify", id, "--json")).out());
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
        try (Stream<Path> left = Files.walk(cache)) {
            assertThat(left.filter(Files::isRegularFile).filter(f -> f.toString().contains("staging") || f.toString().contains("encrypting")).toList())
                    .as("nothing left staged on this machine").isEmpty();
        }
    }

    /** The bytes the files under a directory take on disk (allocated blocks, as du counts them); 0 when it is absent. */
    private static long allocated(Path dir) throws IOException, InterruptedException {
        if (!Files.exists(dir)) {
            return 0;
        }
        Process du = new ProcessBuilder("du", "-s", "-B1", dir.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        du.waitFor();
        String last = out.strip().lines().reduce((a, b) -> b).orElse("0");
        return last.matches("\\d+\\s.*") ? Long.parseLong(last.split("\\s")[0]) : 0;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
