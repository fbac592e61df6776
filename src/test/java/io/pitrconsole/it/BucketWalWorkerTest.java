package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bucket archive_command's worker: while the server's calls are answered from notes, a
 * detached worker goes on with the .ready segments after them. On a real cluster working off a
 * backlog: the worker pushes ahead and every segment is stored once, identical to the server's;
 * a worker killed (SIGKILL, with its curl and zstd) in the middle of a batch loses nothing; a
 * service stopped under the worker leaves notes only for stored segments, and archiving goes on
 * when it is back.
 */
class BucketWalWorkerTest {
    // every backlog segment of the class by name, with the SHA-256 of its file as the server wrote it
    private static final Map<String, String> WRITTEN = new java.util.concurrent.ConcurrentHashMap<>();
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0", "max_wal_size", "4GB"));
    @RegisterExtension
    static S3ProxyExtension s3 = S3ProxyExtension.loggingRequests();

    private static BucketArchiving bucket;
    private static S3Repository repo;
    private static String script;
    private static String command;

    @BeforeAll
    static void archivingWithZstd() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = BucketArchiving.apply(c, s3, "--compress", "zstd");
        repo = bucket.open();
        script = repo.wal().archiveCommand().script().toString();
        command = c.queryOne("SHOW archive_command");
    }

    @AfterEach
    void noWorkerLeft() throws Exception {
        // a test ends with its worker gone, so that the next one starts from a quiet pg_wal
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!workers().isEmpty()) {
            assertThat(System.nanoTime()).as("the worker ends within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
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
    void theWorkerPushesAheadAndEverySegmentIsStoredOnceAsTheServerWroteIt() throws Exception {
        PgTestCluster c = pg.cluster();
        Map<String, String> backlog = backlog(c, 40, false);
        archive(c);
        waitArchived(c, backlog);
        assertThat(c.queryOne("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");
        assertStoredAsWritten(backlog);
        for (String segment : backlog.keySet()) {
            assertThat(s3.walRequests("PUT").stream().filter(r -> r.endsWith("/" + segment + ".zst"))).as(segment).hasSize(1);
        }
        // .upto is written by the worker alone, after each of its batches: it went past the server's first batch
        List<String> names = new ArrayList<>(backlog.keySet());
        String upto = Files.readString(spool(c).resolve(".upto")).trim();
        assertThat(names).contains(upto);
        assertThat(names.indexOf(upto)).isGreaterThan(8);
    }

    @Test
    void aWorkerKilledInTheMiddleOfABatchLosesNothing() throws Exception {
        PgTestCluster c = pg.cluster();
        Map<String, String> backlog = backlog(c, 24, true);
        long failed = Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"));
        String last = new ArrayList<>(backlog.keySet()).get(backlog.size() - 1);
        archive(c);
        int kills = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // up to three workers killed, each while it has a batch going (a child process): the first its
        // shell alone (its batches go on, orphaned), the others with every process it started
        while (kills < 3 && !last.equals(c.queryOne("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"))) {
            assertThat(System.nanoTime()).as("within 60 s").isLessThan(deadline);
            for (ProcessHandle w : workers()) {
                List<ProcessHandle> all = Stream.concat(Stream.of(w), w.descendants()).toList();
                if (all.size() > 1) {
                    (kills == 0 ? List.of(w) : all).forEach(ProcessHandle::destroyForcibly);
                    kills++;
                }
            }
            Thread.sleep(2);
        }
        assertThat(kills).as("a worker caught in a batch").isPositive();
        waitArchived(c, backlog);
        // the server's own call pushed what the killed worker had not stored: no failure, nothing lost
        assertThat(Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"))).isEqualTo(failed);
        assertStoredAsWritten(backlog);
    }

    @Test
    void aServiceStoppedUnderTheWorkerLeavesNotesOnlyForStoredSegmentsAndArchivingGoesOnWhenItIsBack() throws Exception {
        PgTestCluster c = pg.cluster();
        Map<String, String> backlog = backlog(c, 24, true);
        archive(c);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (workers().stream().noneMatch(w -> w.descendants().findAny().isPresent())) {
            assertThat(System.nanoTime()).as("a worker in a batch within 60 s; " + spoolListing(c)).isLessThan(deadline);
            Thread.sleep(2);
        }
        s3.stop();
        boolean back = false;
        try {
            while (!workers().isEmpty()) {
                assertThat(System.nanoTime()).as("the worker gives up within 60 s of the service stopping").isLessThan(deadline);
                Thread.sleep(20);
            }
            // every note the worker (or the server's batch) left is for a segment stored as the server wrote it
            Map<String, String> noted = new LinkedHashMap<>();
            try (Stream<Path> s = Files.list(spool(c))) {
                for (String n : s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList()) {
                    Path file = c.dataDir().resolve("pg_wal/" + n);
                    noted.put(n, WRITTEN.containsKey(n) ? WRITTEN.get(n) : sha256(Files.readAllBytes(file)));
                }
            }
            s3.start();
            back = true;
            assertStoredAsWritten(noted);
            // a worker writes .upto again once it pushes ahead after the outage
            Files.deleteIfExists(spool(c).resolve(".upto"));
        } finally {
            if (!back) {
                s3.start();
            }
        }
        // back: the server (woken by new WAL) archives the rest, with a worker again (the outage did
        // not pass for a service without listings)
        waitArchived(c, backlog);
        assertStoredAsWritten(backlog);
        assertThat(spool(c).resolve(".upto")).as(spoolListing(c)).exists();
    }

    // segments closed while the server has no archive_command (count of them, each of rows of random
    // text when full, else nearly empty), each by name with the SHA-256 of its file
    private static Map<String, String> backlog(PgTestCluster c, int count, boolean full) throws IOException {
        c.sql("ALTER SYSTEM SET archive_command = ''");
        c.sql("SELECT pg_reload_conf()");
        c.sql("CREATE TABLE IF NOT EXISTS w (i int, t text)");
        for (int i = 0; i < count; i++) {
            c.sql("INSERT INTO w SELECT g, md5(random()::text) || md5(random()::text) FROM generate_series(1, " + (full ? 150000 : 2000) + ") g");
            c.sql("SELECT pg_switch_wal()");
        }
        if (full) {
            c.sql("TRUNCATE w");
        }
        Map<String, String> backlog = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(c.dataDir().resolve("pg_wal/archive_status"))) {
            for (String n : s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}\\.ready")).sorted().toList()) {
                String name = n.substring(0, 24);
                backlog.put(name, sha256(Files.readAllBytes(c.dataDir().resolve("pg_wal/" + name))));
            }
        }
        assertThat(backlog.size()).isGreaterThanOrEqualTo(count);
        WRITTEN.putAll(backlog);
        return backlog;
    }

    private static void archive(PgTestCluster c) {
        c.sql("ALTER SYSTEM SET archive_command = '" + command.replace("'", "''") + "'");
        c.sql("SELECT pg_reload_conf()");
    }

    private static void waitArchived(PgTestCluster c, Map<String, String> backlog) throws InterruptedException {
        String last = new ArrayList<>(backlog.keySet()).get(backlog.size() - 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long nudged = System.nanoTime();
        while (c.queryOne("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(last) < 0) {
            assertThat(System.nanoTime()).as("the backlog archived within 120 s").isLessThan(deadline);
            if (System.nanoTime() - nudged > Duration.ofSeconds(3).toNanos()) {
                // after failures the archiver waits for new WAL (or a minute): new WAL wakes it
                c.sql("INSERT INTO w VALUES (0, 'nudge')");
                c.sql("SELECT pg_switch_wal()");
                nudged = System.nanoTime();
            }
            Thread.sleep(50);
        }
    }

    // each as NAME.zst, once, and it decompresses to the content the server wrote
    private static void assertStoredAsWritten(Map<String, String> segments) throws IOException {
        Map<String, String> objects = bucket.objects();
        for (Map.Entry<String, String> e : segments.entrySet()) {
            String name = e.getKey();
            assertThat(objects).as(name).containsKey("wal_archive/" + name + ".zst")
                    .doesNotContainKeys("wal_archive/" + name, "wal_archive/" + name + ".gz");
            try (var in = repo.wal().open(name + ".zst")) {
                assertThat(sha256(Zstd.decompress(in.readAllBytes(), 16 * 1024 * 1024))).as(name).isEqualTo(e.getValue());
            }
        }
    }

    private static String spoolListing(PgTestCluster c) {
        try (Stream<Path> s = Files.list(spool(c))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList() + " archived "
                    + c.queryOne("SELECT last_archived_wal || ' ' || failed_count FROM pg_stat_archiver");
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Path spool(PgTestCluster c) {
        return c.dataDir().resolve("pg_wal/.pitr-pushed");
    }

    // the script's workers: "/bin/sh SCRIPT worker NAME"
    private static List<ProcessHandle> workers() {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> a.length >= 2 && a[0].equals(script) && a[1].equals("worker")).orElse(false)).toList();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
