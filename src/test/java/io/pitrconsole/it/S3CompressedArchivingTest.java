package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.pg.ServerUserShell;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.WalStatus;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
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
 * A real PostgreSQL 15 cluster archiving into a bucket of s3proxy with 'archiving apply --compress
 * zstd': segments are stored as NAME.zst, and every reader of the bucket (wal status, windows, a
 * rehearsal's WAL fetched ahead and its checks, the restore_command) takes them. A segment pushed
 * again counts as archived when the object holds the same segment once decompressed; a different
 * one is refused and the server keeps its segment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3CompressedArchivingTest {
    private static final long SEGMENT = 16L * 1024 * 1024;
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static BucketArchiving bucket;
    private static S3Repository repo;
    private static OffsetDateTime betweenFirstAndSecond;
    private static Instant beforeLast;
    private static Instant afterLast;

    @BeforeAll
    static void compressedHistoryInTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = BucketArchiving.apply(c, s3, "--compress", "zstd");
        repo = bucket.open();
        c.sql("CREATE TABLE t (id int, batch int)");
        BucketArchiving.ok(bucket.cli("backup", "create", "--history-wait", "0"));
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        OffsetDateTime afterFirst = now(c);
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        // the last commit is the one the switch below makes (txid_current())
        beforeLast = now(c).toInstant();
        bucket.switchAndWaitArchived();
        afterLast = now(c).toInstant();
    }

    @AfterAll
    static void close() throws IOException {
        if (repo != null) {
            repo.close();
        }
        if (bucket != null) {
            bucket.close();
        }
    }

    @Test
    @Order(1)
    void segmentsAreStoredCompressedAndWalStatusAndWindowsEndAtTheLastCommit() throws Exception {
        PgTestCluster c = pg.cluster();
        Map<String, String> objects = bucket.objects();
        assertThat(objects.keySet()).anyMatch(k -> k.matches("wal_archive/[0-9A-F]{24}\\.zst"))
                .noneMatch(k -> k.matches("wal_archive/[0-9A-F]{24}"));
        objects.forEach((k, v) -> {
            if (k.matches("wal_archive/[0-9A-F]{24}\\.zst")) {
                assertThat(Long.parseLong(v.substring(v.lastIndexOf(' ') + 1))).as(k).isLessThan(SEGMENT / 4);
            }
        });
        assertThat(c.queryOne("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");

        WindowService windows = new WindowService(repo);
        WalStatus status = windows.walStatus(ProgressListener.NONE, Cancellation.none());
        assertThat(status.gaps()).isEmpty();
        assertThat(status.newestTransaction()).hasValueSatisfying(t -> assertThat(t).isBetween(beforeLast, afterLast));
        List<RecoveryWindow> w = windows.windows(ProgressListener.NONE, Cancellation.none()).windows();
        assertThat(w).singleElement().satisfies(r -> assertThat(r.to()).isBetween(beforeLast, afterLast));
    }

    @Test
    @Order(2)
    void aRehearsalToATimeBetweenTwoCommitsHasExactlyTheFirstRows() throws Exception {
        JsonNode report = Json.mapper().readTree(BucketArchiving.ok(bucket.cli("restore", "run", "--to", betweenFirstAndSecond.toString(),
                "--rehearsal", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(100);
        assertThat(report.path("reachedTarget").asText()).startsWith("LOG: recovery stopping before commit");
    }

    @Test
    @Order(3)
    void theRestoreCommandFetchesACompressedSegmentDecompressed() throws Exception {
        PgTestCluster c = pg.cluster();
        String name = bucket.objects().keySet().stream().filter(k -> k.matches("wal_archive/[0-9A-F]{24}\\.zst")).findFirst().orElseThrow()
                .substring("wal_archive/".length());
        String segment = name.substring(0, 24);
        Path into = bucket.home().resolve("fetched");
        Files.createDirectories(into);
        c.giveToServerUser(into);
        ServerShell shell = new ServerUserShell(c.pgContext().runner());
        String command = repo.wal().restoreCommand(java.util.Optional.empty());

        ServerShell.Result r = shell.run(command.replace("%f", segment).replace("%p", into.resolve("RECOVERYXLOG").toString()), List.of());

        assertThat(r.exitCode()).as(String.join("\n", r.stderrTail())).isZero();
        byte[] stored;
        try (var in = repo.wal().open(name)) {
            stored = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(into.resolve("RECOVERYXLOG"))).hasSize((int) SEGMENT).isEqualTo(Zstd.decompress(stored, (int) SEGMENT));
        try (var files = Files.list(into)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("RECOVERYXLOG");
        }
    }

    @Test
    @Order(4)
    void theServerRefusesADifferentObjectAndTakesTheSameSegmentCompressedOtherwise() throws Exception {
        PgTestCluster c = pg.cluster();
        // WAL first: at a segment's very start pg_walfile_name names the segment before
        c.sql("INSERT INTO t VALUES (3, 3)");
        String next = c.queryOne("SELECT pg_walfile_name(pg_current_wal_lsn())");
        String key = "pitr/main/wal_archive/" + next + ".zst";
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket.bucket()).key(key), RequestBody.fromBytes(Zstd.compress("another server's segment".getBytes())));
            long failedBefore = Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"));
            assertThat(c.queryOne("SELECT pg_walfile_name(pg_switch_wal())")).isEqualTo(next);
            waitFor(() -> Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver")) > failedBefore, "a failed archive attempt");
            assertThat(c.queryOne("SELECT last_failed_wal FROM pg_stat_archiver")).isEqualTo(next);
            assertThat(c.dataDir().resolve("pg_wal/archive_status/" + next + ".ready")).exists();
            assertThat(Files.readString(c.logFile())).contains("refusing to overwrite s3://" + bucket.bucket() + "/" + key);
            assertThat(Zstd.decompress(client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(key)).asByteArray(), 100))
                    .isEqualTo("another server's segment".getBytes());

            // the same segment at another zstd level: other bytes, the same segment once decompressed
            byte[] segment = Files.readAllBytes(c.dataDir().resolve("pg_wal").resolve(next));
            byte[] level19 = Zstd.compress(segment, 19);
            client.putObject(r -> r.bucket(bucket.bucket()).key(key), RequestBody.fromBytes(level19));
            waitFor(() -> next.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver")), "segment " + next + " archived");
            assertThat(client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(key)).asByteArray()).as("left as it was").isEqualTo(level19);
        }
        assertThat(bucket.objects()).doesNotContainKey("wal_archive/" + next);
    }

    @Test
    @Order(5)
    void aSegmentPushedAgainIsArchivedAndADifferentOneRefusedWhateverTheStoredCompression() throws Exception {
        PgTestCluster c = pg.cluster();
        Path dir = bucket.home().resolve("push");
        Files.createDirectories(dir);
        byte[] a = new byte[(int) SEGMENT];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i % 251 == 0 ? i / 251 : 0);
        }
        byte[] b = a.clone();
        b[12345] ^= 1;
        Files.write(dir.resolve("a"), a);
        Files.write(dir.resolve("b"), b);
        c.giveToServerUser(dir);
        ServerShell shell = new ServerUserShell(c.pgContext().runner());
        String script = repo.wal().archiveCommand().script().toString();
        String push = "exec \"$1\" push \"$2\" \"$3\"";
        String name = "0000000900000000000000B1";

        assertThat(shell.run(push, List.of(script, dir.resolve("a").toString(), name)).exitCode()).isZero();
        Map<String, String> once = bucket.objects();
        assertThat(once).containsKey("wal_archive/" + name + ".zst").doesNotContainKey("wal_archive/" + name);
        try (var in = repo.wal().open(name + ".zst")) {
            assertThat(Arrays.equals(Zstd.decompress(in.readAllBytes(), (int) SEGMENT), a)).isTrue();
        }
        // pushed again (the server lost its .done): archived, the object untouched
        assertThat(shell.run(push, List.of(script, dir.resolve("a").toString(), name)).exitCode()).isZero();
        assertThat(bucket.objects()).isEqualTo(once);
        // a different segment of that name: refused, the object untouched
        ServerShell.Result r = shell.run(push, List.of(script, dir.resolve("b").toString(), name));
        assertThat(r.exitCode()).isNotZero();
        assertThat(String.join("\n", r.stderrTail())).contains("refusing to overwrite s3://" + bucket.bucket() + "/pitr/main/wal_archive/" + name + ".zst");
        assertThat(bucket.objects()).isEqualTo(once);

        // a name stored plain (by a script without compression) is the same name
        String plain = "0000000900000000000000B2";
        try (S3Client client = s3.client()) {
            client.putObject(x -> x.bucket(bucket.bucket()).key("pitr/main/wal_archive/" + plain), RequestBody.fromBytes(a));
        }
        assertThat(shell.run(push, List.of(script, dir.resolve("a").toString(), plain)).exitCode()).isZero();
        r = shell.run(push, List.of(script, dir.resolve("b").toString(), plain));
        assertThat(r.exitCode()).isNotZero();
        assertThat(String.join("\n", r.stderrTail())).contains("refusing to overwrite s3://" + bucket.bucket() + "/pitr/main/wal_archive/" + plain);
        assertThat(bucket.objects()).doesNotContainKey("wal_archive/" + plain + ".zst");
    }

    @Test
    @Order(6)
    void archivingVerifyFindsTheCompressedSegmentItWaitsFor() {
        CliRunner.Result r = BucketArchiving.ok(bucket.cli("archiving", "verify", "--wait", "60"));
        assertThat(r.out()).doesNotContain("FAIL");
    }

    @Test
    @Order(7)
    void withGzipASegmentIsStoredAsNameGzAndOneStoredWithZstdIsTheSameName() throws Exception {
        PgTestCluster c = pg.cluster();
        Path dir = bucket.home().resolve("gzip");
        Files.createDirectories(dir);
        byte[] a = new byte[(int) SEGMENT];
        for (int i = 0; i < a.length; i += 4096) {
            a[i] = (byte) (i >> 12);
        }
        Files.write(dir.resolve("a"), a);
        c.giveToServerUser(dir);
        try (S3Repository gzip = new S3Repository(io.pitrconsole.repository.RepositoryLocation.parse(bucket.location(),
                new io.pitrconsole.repository.S3Options(s3.endpoint().toString(), null, true)), bucket.env(), dir.resolve("cache"))) {
            gzip.wal().archiveCommand().install("gzip");
            c.giveToServerUser(dir);
            ServerShell shell = new ServerUserShell(c.pgContext().runner());
            String script = gzip.wal().archiveCommand().script().toString();
            String push = "exec \"$1\" push \"$2\" \"$3\"";
            String name = "0000000900000000000000C1";

            ServerShell.Result r = shell.run(push, List.of(script, dir.resolve("a").toString(), name));
            assertThat(r.exitCode()).as(String.join("\n", r.stderrTail())).isZero();
            assertThat(bucket.objects()).containsKey("wal_archive/" + name + ".gz").doesNotContainKey("wal_archive/" + name)
                    .doesNotContainKey("wal_archive/" + name + ".zst");
            // the zstd script pushing the same segment: the .gz object is that segment
            String zstd = repo.wal().archiveCommand().script().toString();
            r = shell.run(push, List.of(zstd, dir.resolve("a").toString(), name));
            assertThat(r.exitCode()).as(String.join("\n", r.stderrTail())).isZero();
            assertThat(bucket.objects()).doesNotContainKey("wal_archive/" + name + ".zst");
            // and fetched back decompressed, by either script
            for (String fetching : List.of(script, zstd)) {
                Path into = dir.resolve("RECOVERYXLOG");
                Files.deleteIfExists(into);
                r = shell.run("exec \"$1\" fetch \"$2\" \"$3\"", List.of(fetching, name, into.toString()));
                assertThat(r.exitCode()).as(String.join("\n", r.stderrTail())).isZero();
                assertThat(Arrays.equals(Files.readAllBytes(into), a)).isTrue();
            }
        }
    }

    private static OffsetDateTime now(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
