package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.pg.ServerUserShell;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
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
 * The bucket archive_command with zstd working off a backlog: a push stores the server's segment
 * together with the next .ready ones in one batch (one listing of the bucket in place of a HEAD per
 * name and compression, the PUTs in parallel from one curl). A real cluster's backlog is stored
 * once per segment; in a data directory of our own making, an identical push again succeeds, a
 * different object of a read-ahead segment's name is refused when that segment's turn comes,
 * a service stopped in the middle of a batch leaves a note only for a segment that is stored, and
 * while a worker holds the lock a call pushes at once a history file or a segment the worker went
 * past without a note, and waits for the worker for one it has not got to.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketWalBatchTest {
    private static final String PUSH = "cd \"$1\" && exec \"$2\" push \"pg_wal/$3\" \"$3\"";
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = S3ProxyExtension.loggingRequests();

    private static BucketArchiving bucket;
    private static S3Repository repo;
    private static String script;
    private static ServerShell shell;

    @BeforeAll
    static void archivingWithZstd() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = BucketArchiving.apply(c, s3, "--compress", "zstd");
        repo = bucket.open();
        script = repo.wal().archiveCommand().script().toString();
        shell = new ServerUserShell(c.pgContext().runner());
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
    void aBacklogIsStoredOnceEachWithoutAHeadPerSegment() throws Exception {
        PgTestCluster c = pg.cluster();
        String command = c.queryOne("SHOW archive_command");
        // the server keeps its segments ready while it has no archive_command
        c.sql("ALTER SYSTEM SET archive_command = ''");
        c.sql("SELECT pg_reload_conf()");
        c.sql("CREATE TABLE t (i int)");
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            c.sql("INSERT INTO t SELECT g FROM generate_series(1, 1000) g");
            backlog.add(c.queryOne("SELECT pg_walfile_name(pg_switch_wal())"));
        }
        long before = s3.walRequests("HEAD").size();
        c.sql("ALTER SYSTEM SET archive_command = '" + command.replace("'", "''") + "'");
        c.sql("SELECT pg_reload_conf()");
        String last = backlog.get(backlog.size() - 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!last.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            assertThat(System.nanoTime()).as("backlog archived within 90 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(c.queryOne("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");
        Map<String, String> objects = bucket.objects();
        for (String segment : backlog) {
            assertThat(objects).containsKey("wal_archive/" + segment + ".zst").doesNotContainKeys("wal_archive/" + segment,
                    "wal_archive/" + segment + ".gz");
            assertThat(s3.walRequests("PUT").stream().filter(r -> r.endsWith("/" + segment + ".zst"))).as(segment).hasSize(1);
        }
        // the three names each segment may be stored under were asked in listings, not one HEAD each
        assertThat(s3.walRequests("HEAD").size() - before).isLessThan(backlog.size());
    }

    @Test
    @Order(2)
    void anIdenticalPushAgainSucceedsWithoutStoringAgain() throws Exception {
        Path data = dataDirectory("0000000700000000000000A1", 6);
        List<String> names = segments(data);
        assertThat(push(data, names.get(0)).exitCode()).isZero();
        // the rest went along, each with its note
        for (String n : names) {
            assertStored(data, n);
        }
        assertThat(notes(data)).containsExactlyInAnyOrderElementsOf(names.subList(1, names.size()));
        int puts = s3.walRequests("PUT").size();

        // pushed again without the notes (as after a crash of the server): every one is there already, and identical
        io.pitrconsole.core.FileTrees.deleteRecursively(data.resolve("pg_wal/.pitr-pushed"));
        for (String n : names) {
            ServerShell.Result r = push(data, n);
            assertThat(r.exitCode()).as(n + ": " + r.stderrTail()).isZero();
        }
        assertThat(s3.walRequests("PUT")).hasSize(puts);
        for (String n : names) {
            assertStored(data, n);
        }
    }

    @Test
    @Order(3)
    void aDifferentObjectOfAReadAheadSegmentsNameIsRefusedWhenTheServerAsksForIt() throws Exception {
        Path data = dataDirectory("0000000700000000000000B1", 4);
        List<String> names = segments(data);
        String taken = names.get(2);
        byte[] other = {9, 9, 9};
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/wal_archive/" + taken), RequestBody.fromBytes(other));
        }
        assertThat(push(data, names.get(0)).exitCode()).isZero();
        assertThat(notes(data)).containsExactlyInAnyOrder(names.get(1), names.get(3));
        assertStored(data, names.get(1));

        ServerShell.Result r = push(data, taken);
        assertThat(r.exitCode()).isNotZero();
        assertThat(String.join("\n", r.stderrTail())).contains("refusing to overwrite").contains("hint:");
        assertThat(bucket.objects()).doesNotContainKey("wal_archive/" + taken + ".zst");
        try (var in = repo.wal().open(taken)) {
            assertThat(in.readAllBytes()).isEqualTo(other);
        }
    }

    @Test
    @Order(4)
    void aServiceStoppedInTheMiddleOfABatchLeavesNotesOnlyForStoredSegmentsAndLosesNothing() throws Exception {
        Path data = dataDirectory("0000000700000000000000C1", 8, 3 * 1024 * 1024);
        List<String> names = segments(data);
        int puts = s3.walRequests("PUT").size();
        CompletableFuture<ServerShell.Result> first = CompletableFuture.supplyAsync(() -> push(data, names.get(0)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (s3.walRequests("PUT").size() == puts && !first.isDone()) {
            assertThat(System.nanoTime()).as("a PUT of the batch within 60 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        s3.stop();
        ServerShell.Result r = first.get();
        s3.start();
        // whatever got through: a note, or the server's own segment answered 0, only for a stored segment
        for (String n : notes(data)) {
            assertStored(data, n);
        }
        if (r.exitCode() == 0) {
            assertStored(data, names.get(0));
        }
        // the server asks again for each in turn (its files and .ready are all still there): every one is stored
        for (String n : names) {
            assertThat(data.resolve("pg_wal/archive_status/" + n + ".ready")).exists();
            ServerShell.Result again = push(data, n);
            assertThat(again.exitCode()).as(n + ": " + again.stderrTail()).isZero();
            assertStored(data, n);
        }
    }

    @Test
    @Order(5)
    void aCallWhileTheWorkerRunsWaitsForItOrPushesWhatTheWorkerDoesNot() throws Exception {
        Path data = dataDirectory("0000000700000000000000D1", 3);
        List<String> names = segments(data);
        Path history = data.resolve("pg_wal/00000008.history");
        Files.writeString(history, "7\t0/D4000000\tno recovery target specified\n");
        Files.createFile(data.resolve("pg_wal/archive_status/00000008.history.ready"));
        Path spool = Files.createDirectories(data.resolve("pg_wal/.pitr-pushed"));
        Files.createFile(spool.resolve(".worker"));
        pg.cluster().giveToServerUser(data);
        // a worker's lock, held by a process of the test's own; it says it is done up to the second segment
        Process worker = new ProcessBuilder("flock", "-o", spool.resolve(".worker").toString(), "sleep", "60").start();
        try {
            Files.writeString(spool.resolve(".upto"), names.get(1) + "\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (new ProcessBuilder("flock", "-n", spool.resolve(".worker").toString(), "true").start().waitFor() == 0) {
                assertThat(System.nanoTime()).as("the lock taken within 10 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            // a history file is no worker's: pushed at once
            ServerShell.Result h = push(data, "00000008.history");
            assertThat(h.exitCode()).as(h.stderrTail().toString()).isZero();
            assertThat(bucket.objects()).containsKey("wal_archive/00000008.history");
            // a segment the worker went past without a note: the call pushes it itself
            ServerShell.Result passed = push(data, names.get(0));
            assertThat(passed.exitCode()).as(passed.stderrTail().toString()).isZero();
            assertStored(data, names.get(0));
            assertThat(worker.isAlive()).as("both answered while the worker ran").isTrue();
            // one it has not got to: the call waits until the worker ends, then pushes it
            CompletableFuture<ServerShell.Result> waiting = CompletableFuture.supplyAsync(() -> push(data, names.get(2)));
            Thread.sleep(1500);
            assertThat(waiting).as("waits while the worker runs").isNotDone();
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly().waitFor();
            ServerShell.Result r = waiting.get();
            assertThat(r.exitCode()).as(r.stderrTail().toString()).isZero();
            assertStored(data, names.get(2));
        } finally {
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly();
        }
    }

    // a pg_wal as the archiver leaves it: count segments of random bytes, each .ready
    private static Path dataDirectory(String first, int count) throws IOException {
        return dataDirectory(first, count, 64 * 1024);
    }

    private static Path dataDirectory(String first, int count, int size) throws IOException {
        Path data = bucket.home().resolve("data-" + first);
        Files.createDirectories(data.resolve("pg_wal/archive_status"));
        long n = Long.parseLong(first.substring(16), 16);
        Random random = new Random(n);
        for (int i = 0; i < count; i++) {
            String name = first.substring(0, 16) + String.format("%08X", n + i);
            byte[] content = new byte[size];
            random.nextBytes(content);
            Files.write(data.resolve("pg_wal/" + name), content);
            Files.createFile(data.resolve("pg_wal/archive_status/" + name + ".ready"));
        }
        pg.cluster().giveToServerUser(data);
        return data;
    }

    private static List<String> segments(Path data) throws IOException {
        try (var s = Files.list(data.resolve("pg_wal/archive_status"))) {
            return s.map(p -> p.getFileName().toString().replace(".ready", "")).sorted().toList();
        }
    }

    private static List<String> notes(Path data) throws IOException {
        Path spool = data.resolve("pg_wal/.pitr-pushed");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (var s = Files.list(spool)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static ServerShell.Result push(Path data, String name) {
        return shell.run(PUSH, List.of(data.toString(), script, name));
    }

    // stored once, as NAME.zst, and it decompresses to the file in pg_wal
    private static void assertStored(Path data, String name) throws IOException {
        assertThat(bucket.objects()).as(name).containsKey("wal_archive/" + name + ".zst")
                .doesNotContainKeys("wal_archive/" + name, "wal_archive/" + name + ".gz");
        byte[] segment = Files.readAllBytes(data.resolve("pg_wal/" + name));
        try (var in = repo.wal().open(name + ".zst")) {
            assertThat(Zstd.decompress(in.readAllBytes(), segment.length)).as(name).isEqualTo(segment);
        }
    }
}
