package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A whole restore from a bucket, as a DBA types it: a real PostgreSQL 15 cluster archives into a
 * bucket of a real S3 API server (s3proxy) through the archive_command 'archiving apply'
 * installs, a backup goes into the same bucket, rows are committed at known moments; then a
 * rehearsal to a time between two commits has exactly the rows of that time and leaves the
 * bucket as it was, and an in-place restore from the bucket does too, and rolls back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketRestoreTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = S3ProxyExtension.loggingRequests();

    private static BucketArchiving bucket;
    private static OffsetDateTime betweenFirstAndSecond;

    @BeforeAll
    static void historyInTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = BucketArchiving.apply(c, s3);
        c.sql("CREATE TABLE t (id int, batch int)");
        ok(bucket.cli("backup", "create", "--history-wait", "0"));
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        OffsetDateTime afterFirst = now(c);
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        bucket.switchAndWaitArchived();
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (bucket != null) {
            bucket.close();
        }
    }

    private static OffsetDateTime now(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        return BucketArchiving.ok(r);
    }

    /**
     * The first restore on a machine (no WAL index cached) reads the bucket's WAL twice over: to
     * index it while planning, and in the pre-checks, which check every record's CRC of the files
     * the plan replays; then the server replays them. From the command's start to the end of
     * recovery each WAL object is fetched from the bucket once, as s3proxy's own request log
     * shows: planning keeps whole copies of what it fetches, the pre-checks take those, and the
     * server gets the checked copies. Allowed more: the archive's first segment, whose first bytes
     * tell the segment size before anything is indexed, and the one segment the server asks for
     * again as recovery ends (its staged copy went into pg_wal the first time). Before, planning
     * fetched an object up to twice (itself, and as the next file of a record running into it)
     * and the pre-checks once more.
     */
    @Test
    @Order(0)
    void fromItsStartToTheEndOfRecoveryAFirstRestoreOnAMachineFetchesEachWalObjectFromTheBucketOnce() throws Exception {
        try (Stream<Path> cached = Files.walk(bucket.home().resolve("cache"))) {
            for (Path p : cached.filter(p -> p.getFileName().toString().startsWith("wal-index")).toList()) {
                Files.delete(p);
            }
        }
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonNode report = Json.mapper().readTree(ok(bucket.cli("restore", "run", "--latest", "--rehearsal", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        Instant started = Instant.parse(report.path("startedAt").asText());
        double seconds = 0;
        for (JsonNode step : report.path("steps")) {
            seconds += step.path("seconds").asDouble();
            if (step.path("name").asText().equals("recover to target")) {
                break;
            }
        }
        // the steps' seconds add up to no more than the time they took, less their rounding: the check after
        // recovery, which reads the bucket on its own, begins later than this (the margin only leaves out the
        // last moments of recovery)
        Instant to = started.plusMillis((long) (seconds * 1000) - 50);
        List<String> stored = bucket.objects().keySet().stream().filter(k -> k.matches("wal_archive/[0-9A-F]{24}(\\.zst|\\.gz)?"))
                .map(k -> k.substring(k.indexOf('/') + 1)).sorted().toList();
        // the server's restore_command also asks for the names after the end of the WAL, which are not there
        Map<String, Long> gets = s3.requests().stream()
                .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to))
                .map(S3ProxyExtension.Request::what)
                .filter(r -> r.startsWith("GET ") && r.matches(".*/wal_archive/[0-9A-F]{24}(\\.zst|\\.gz)?"))
                .map(r -> r.substring(r.lastIndexOf('/') + 1)).filter(stored::contains)
                .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
        String first = stored.get(0);
        // the server restores its last segment twice (again as recovery ends), the second time from the copy kept for it
        assertThat(gets.size()).as("WAL objects read from the bucket: " + gets).isGreaterThanOrEqualTo(report.path("walSegmentsRestored").asInt() - 1);
        assertThat(gets).as("GET requests per WAL object from the command's start to the end of recovery")
                .allSatisfy((name, n) -> assertThat(n).as(name).isBetween(1L, 2L));
        assertThat(gets.entrySet().stream().filter(e -> e.getValue() > 1 && !e.getKey().equals(first)))
                .as("WAL objects fetched twice (the archive's first, " + first + ", aside): " + gets).hasSizeLessThanOrEqualTo(1);
    }

    /**
     * With the WAL index cached, the pre-checks read every WAL file the plan replays, and the server replays them: from the
     * pre-checks to the end of recovery each WAL object is fetched from the bucket once, as
     * s3proxy's own request log shows (planning before and the end-of-recovery check after read
     * the bucket on their own, so the count is of the steps between), but for the one segment the
     * server asks for again as recovery ends. Before, the pre-check
     * fetched an object up to twice (itself, and as the next file of a record running into it)
     * and the staging ahead of the server once more.
     */
    @Test
    @Order(1)
    void fromItsPreChecksToTheEndOfRecoveryARestoreFetchesEachWalObjectFromTheBucketOnce() throws Exception {
        JsonNode report = Json.mapper().readTree(ok(bucket.cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        Instant from = Instant.parse(report.path("startedAt").asText());
        double seconds = 0;
        for (JsonNode step : report.path("steps")) {
            seconds += step.path("seconds").asDouble();
            if (step.path("name").asText().equals("recover to target")) {
                break;
            }
        }
        // the steps' seconds add up to no more than the time they took, less their rounding: the check after
        // recovery, which reads the bucket on its own, begins later than this (the margin only leaves out the
        // last moments of recovery)
        Instant to = from.plusMillis((long) (seconds * 1000) - 50);
        Map<String, Long> gets = s3.requests().stream()
                .filter(r -> !r.at().isBefore(from.truncatedTo(ChronoUnit.MILLIS)) && r.at().isBefore(to))
                .map(S3ProxyExtension.Request::what)
                .filter(r -> r.startsWith("GET ") && r.matches(".*/wal_archive/[0-9A-F]{24}(\\.zst|\\.gz)?"))
                .collect(Collectors.groupingBy(r -> r.substring(r.lastIndexOf('/') + 1), TreeMap::new, Collectors.counting()));
        // the server restores its last segment twice (again as recovery ends), the second time from the copy kept for it
        assertThat(gets.size()).as("WAL objects read from the bucket: " + gets).isGreaterThanOrEqualTo(report.path("walSegmentsRestored").asInt() - 1);
        // the server itself asks for the segment it stopped in once more as recovery ends (its staged copy
        // went into pg_wal the first time): one object may be fetched twice, and that by the server
        assertThat(gets.values()).as("GET requests per WAL object from the pre-checks to the end of recovery: " + gets)
                .allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
        assertThat(gets.values().stream().filter(n -> n > 1)).as("WAL objects fetched twice: " + gets).hasSizeLessThanOrEqualTo(1);
    }

    /**
     * As recovery ends the server asks restore_command for names the bucket does not hold (the
     * segment after the last, the timeline history files it probes before it picks its new
     * timeline) and once more for the segment it ended in. Each miss was a process and a TLS
     * handshake per stored form (plain, .zst, .gz): over the whole restore the bucket now sees no
     * GET of a WAL or history name it does not hold, and the last segment is fetched once (the
     * pre-check's copy, staged again for the server's second ask). Before: six GETs of misses per
     * name asked (0.4 s at the end of every restore on the bench) and the last segment twice.
     */
    @Test
    @Order(2)
    void asRecoveryEndsTheServersAsksForNamesTheBucketDoesNotHoldAreAnsweredWithoutAskingIt() throws Exception {
        JsonNode report = Json.mapper().readTree(ok(bucket.cli("restore", "run", "--latest", "--rehearsal", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        Instant from = Instant.parse(report.path("startedAt").asText()).truncatedTo(ChronoUnit.MILLIS);
        Instant to = Instant.parse(report.path("finishedAt").asText()).plusMillis(1);
        Set<String> stored = bucket.objects().keySet().stream().filter(k -> k.startsWith("wal_archive/"))
                .map(k -> k.substring(k.indexOf('/') + 1)).collect(Collectors.toSet());
        Map<String, Long> gets = s3.requests().stream()
                .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to))
                .map(S3ProxyExtension.Request::what)
                .filter(r -> r.startsWith("GET ") && r.matches(".*/wal_archive/([0-9A-F]{24}|[0-9A-F]{8}\\.history)(\\.zst|\\.gz)?"))
                .collect(Collectors.groupingBy(r -> r.substring(r.lastIndexOf('/') + 1), TreeMap::new, Collectors.counting()));
        assertThat(gets.keySet().stream().filter(n -> !stored.contains(n)))
                .as("GETs of names the bucket does not hold, during the restore: " + gets).isEmpty();
        String last = gets.keySet().stream().filter(n -> n.matches("[0-9A-F]{24}.*")).max(String::compareTo).orElseThrow();
        assertThat(gets.get(last)).as("GETs of the last segment, " + last + ": " + gets).isEqualTo(1L);
        assertThat(report.path("walSegmentsRestored").asInt()).isPositive();
    }

    /**
     * From a bucket every read of the backup catalog is a listing and requests per backup (its backup.json and its
     * .backup history file), so one command reads it once: 'restore run' planned and run in one go (the archive held
     * from the plan to the end, so no backup can go), 'restore plan' and 'restore check'. s3proxy's own request log
     * shows each backup.json fetched once per command, and no listing asking whether a backup the catalog's listing
     * named exists. Before, 'restore run' fetched the restored backup's four times (choosing the backup, planning, the
     * server-programs check, the executor), 'restore plan' and 'restore check' twice, and each read of the catalog asked
     * for every backup whether it exists.
     */
    @Test
    @Order(2)
    void oneRestoreCommandReadsTheBackupCatalogFromTheBucketOnce() throws Exception {
        List<String> ids = bucket.objects().keySet().stream().filter(k -> k.matches("backup_[0-9_]+/backup\\.json"))
                .map(k -> k.substring(0, k.indexOf('/'))).sorted().toList();
        assertThat(ids).isNotEmpty();
        Map<String, Map<String, Long>> perCommand = new TreeMap<>();
        Map<String, Long> existence = new TreeMap<>();
        Map<String, Long> folderListings = new TreeMap<>();
        for (String[] command : List.of(new String[] {"restore", "run", "--latest", "--rehearsal", "--json"},
                new String[] {"restore", "plan", "--latest", "--json"}, new String[] {"restore", "check"})) {
            Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            ok(bucket.cli(command));
            // s3proxy logs to the millisecond; the next millisecond on is after the command
            Instant to = Instant.now().plusMillis(1);
            Map<String, Long> gets = s3.requests().stream()
                    .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to))
                    .map(S3ProxyExtension.Request::what)
                    .filter(r -> r.startsWith("GET ") && r.endsWith("/backup.json"))
                    .map(r -> r.substring(0, r.lastIndexOf('/'))).map(r -> r.substring(r.lastIndexOf('/') + 1))
                    .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
            perCommand.put(String.join(" ", command[0], command[1]), gets);
            // the catalog's listing names the backups; asking whether each exists is a listing more per backup
            existence.put(String.join(" ", command[0], command[1]), s3.requests().stream()
                    .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).map(S3ProxyExtension.Request::what)
                    .filter(r -> r.startsWith("GET ") && r.matches(".*[?&]max-keys=1&prefix=[^&]*%2Fbackup_[0-9_]+%2F(&.*)?")).count());
            // the restored backup's files, listed for its tars: once, however many tars are looked for
            folderListings.put(String.join(" ", command[0], command[1]), s3.requests().stream()
                    .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).map(S3ProxyExtension.Request::what)
                    .filter(r -> r.startsWith("GET ") && r.matches(".*[?&]list-type=2&prefix=[^&]*%2Fbackup_[0-9_]+%2F(&.*)?")
                            && !r.contains("max-keys=1")).count());
        }
        assertThat(folderListings.get("restore run")).as("listings of the restored backup's folder: " + folderListings).isEqualTo(1L);
        Map<String, Long> once = new TreeMap<>();
        ids.forEach(id -> once.put(id, 1L));
        assertThat(perCommand).as("GET requests per backup.json, per command").allSatisfy((command, gets) ->
                assertThat(gets).as(command + ": " + perCommand).isEqualTo(once));
        assertThat(existence).as("listings asking whether a backup exists, per command").allSatisfy((command, n) ->
                assertThat(n).as(command + ": " + existence).isZero());
    }

    @Test
    @Order(3)
    void aRehearsalToATimeBetweenTwoCommitsHasExactlyTheFirstRowsAndLeavesTheBucketAsItWas() throws Exception {
        Map<String, String> before = bucket.objects();
        assertThat(before.keySet()).anyMatch(k -> k.matches("wal_archive/[0-9A-F]{24}"))
                .anyMatch(k -> k.matches("backup_[0-9_]+/base\\.tar.*"));

        JsonNode report = Json.mapper().readTree(ok(bucket.cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(100);
        assertThat(report.path("reachedTarget").asText()).startsWith("LOG: recovery stopping before commit");
        assertThat(Path.of(report.path("sandbox").asText())).doesNotExist();
        assertThat(bucket.objects()).as("a rehearsal writes nothing into the bucket").isEqualTo(before);
    }

    @Test
    @Order(4)
    void anInPlaceRestoreFromTheBucketHasTheRowsOfThatTimeAndRollsBack() throws Exception {
        PgTestCluster c = pg.cluster();
        JsonNode report = Json.mapper().readTree(ok(bucket.cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--in-place",
                "--data-dir", c.dataDir().toString(), "--yes", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("100");
        assertThat(c.queryOne("SELECT pg_is_in_recovery()")).isEqualTo("f");
        Path aside = Path.of(report.path("movedAside").path(c.dataDir().toString()).asText());
        assertThat(aside.resolve("PG_VERSION")).isRegularFile();
        // the restored server archives its new timeline into the bucket with the same command
        String segment = bucket.switchAndWaitArchived();
        assertThat(bucket.objects()).containsKey("wal_archive/" + segment);

        ok(bucket.cli("restore", "rollback"));

        assertThat(aside).doesNotExist();
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("150");
        try (Stream<Path> left = Files.list(c.dataDir().getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".pitr-wal-ahead"));
        }
    }
}
