package io.pitrconsole.it;

import static io.pitrconsole.it.BucketArchiving.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
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
 * What goes wrong with a bucket under a real PostgreSQL 15 cluster archiving into it, and what
 * the DBA is told: a WAL object corrupted in the bucket, one deleted from under the local WAL
 * index (before planning, and after a plan was shown), and a service that refuses every write (s3proxy's read-only blob store), under which the
 * server keeps each segment until it is stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketFaultsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static BucketArchiving bucket;
    /** The segment holding the second batch's rows, which recovery to the latest WAL must replay. */
    private static WalSegmentName second;
    private static Lsn secondStart;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = BucketArchiving.apply(c, s3);
        c.sql("CREATE TABLE t (id int, batch int)");
        ok(bucket.cli("backup", "create", "--history-wait", "0"));
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        bucket.switchAndWaitArchived();
        secondStart = Lsn.parse(c.queryOne("SELECT pg_current_wal_insert_lsn()"));
        second = WalSegmentName.containing(1, secondStart, WalSegmentName.DEFAULT_SEGMENT_SIZE);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        bucket.switchAndWaitArchived();
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
        bucket.switchAndWaitArchived();
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (bucket != null) {
            bucket.close();
        }
    }

    private static String key(String segment) {
        return BucketArchiving.PREFIX + "/wal_archive/" + segment;
    }

    private static byte[] object(String segment) {
        try (S3Client client = s3.client()) {
            return client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(key(segment))).asByteArray();
        }
    }

    private static void laterSecondThan(String segment) throws InterruptedException {
        java.time.Instant stored;
        try (S3Client client = s3.client()) {
            stored = client.headObject(r -> r.bucket(bucket.bucket()).key(key(segment))).lastModified();
        }
        while (!java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(stored)) {
            Thread.sleep(50);
        }
    }

    private static void putObject(String segment, byte[] content) {
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket.bucket()).key(key(segment)), RequestBody.fromBytes(content));
        }
    }

    private static CliRunner.Result failed(CliRunner.Result r) {
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        assertThat(r.out() + r.err()).contains("hint:");
        return r;
    }

    @Test
    @Order(1)
    void aCorruptedWalObjectIsReportedDamagedByNameAndNothingIsRestored() throws Exception {
        ok(bucket.cli("wal", "status", "--json"));   // the local index now holds the intact object
        byte[] intact = object(second.toString());
        byte[] corrupted = intact.clone();
        int at = (int) (secondStart.value() % WalSegmentName.DEFAULT_SEGMENT_SIZE);
        Arrays.fill(corrupted, at, at + 64 * 1024, (byte) 0x5a);
        // the index tells a changed object by its size and time, and S3 keeps the time to the second:
        // the damage lands in a later second than the intact object, as it would in the field
        laterSecondThan(second.toString());
        putObject(second.toString(), corrupted);
        try {
            CliRunner.Result r = failed(bucket.cli("restore", "run", "--latest", "--rehearsal"));
            // the restore's report says which file, and where in the bucket an intact copy goes
            assertThat(r.out()).contains("failed: WAL file " + second + " is damaged")
                    .contains("Put an intact copy of " + second + " into the WAL archive s3://" + bucket.bucket() + "/" + BucketArchiving.PREFIX + "/wal_archive/");
            assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo("175");

            CliRunner.Result status = bucket.cli("wal", "status");
            assertThat(status.noStackTrace()).as(status.err()).isTrue();
            assertThat(status.out() + status.err()).contains(second.toString());
        } finally {
            putObject(second.toString(), intact);
        }
        JsonNode report = Json.mapper().readTree(ok(bucket.cli("restore", "run", "--latest", "--rehearsal", "--json")).out());
        assertThat(report.path("rowCounts").path("public.t").asLong()).as("intact again").isEqualTo(175);
    }

    @Test
    @Order(2)
    void anIntactCopyPutBackAtTheSizeAndSecondOfTheDamagedOneIsReadAgain() throws Exception {
        ok(bucket.cli("wal", "status", "--json"));
        byte[] intact = object(second.toString());
        byte[] corrupted = intact.clone();
        int at = (int) (secondStart.value() % WalSegmentName.DEFAULT_SEGMENT_SIZE);
        Arrays.fill(corrupted, at, at + 64 * 1024, (byte) 0x5a);
        laterSecondThan(second.toString());
        putObject(second.toString(), corrupted);
        Path stored = s3.storedFile(bucket.bucket(), key(second.toString()));
        FileTime damagedAt = Files.getLastModifiedTime(stored);
        CliRunner.Result damaged = bucket.cli("wal", "status", "--json");
        assertThat(damaged.exit()).as("the damaged copy is indexed: " + damaged.out() + damaged.err()).isEqualTo(2);
        // S3 keeps an object's time to the second: a copy put back within the second the damaged one
        // arrived lists the same size and time, told apart only by its ETag
        putObject(second.toString(), intact);
        Files.setLastModifiedTime(stored, damagedAt);
        CliRunner.Result again = bucket.cli("wal", "status", "--json");
        assertThat(again.exit()).as("the intact copy is read again: " + again.out() + again.err()).isZero();
        assertThat(Json.mapper().readTree(again.out()).path("damaged")).as(again.out()).isEmpty();
    }

    @Test
    @Order(3)
    void anObjectDeletedFromUnderTheIndexIsAGapThatPlansStopBefore() throws Exception {
        ok(bucket.cli("wal", "status", "--json"));
        byte[] intact = object(second.toString());
        try (S3Client client = s3.client()) {
            client.deleteObject(r -> r.bucket(bucket.bucket()).key(key(second.toString())));
        }
        try {
            CliRunner.Result status = bucket.cli("wal", "status", "--json");
            assertThat(status.noStackTrace()).as(status.err()).isTrue();
            JsonNode s = Json.mapper().readTree(status.out());
            assertThat(s.path("gaps").toString()).as(s.toString()).contains(second.toString());

            CliRunner.Result plan = bucket.cli("restore", "plan", "--latest", "--json");
            assertThat(plan.noStackTrace()).as(plan.err()).isTrue();
            if (plan.exit() == 0) {
                assertThat(Json.mapper().readTree(plan.out()).path("walSegments").findValuesAsText(""))
                        .allSatisfy(n -> assertThat(n.substring(0, 24)).isLessThan(second.toString()));
            } else {
                assertThat(plan.err()).contains("hint: ");
            }
        } finally {
            putObject(second.toString(), intact);
        }
        JsonNode s = Json.mapper().readTree(ok(bucket.cli("wal", "status", "--json")).out());
        assertThat(s.path("gaps")).as("the object is back").isEmpty();
    }

    @Test
    @Order(4)
    void anObjectDeletedAfterThePlanWasShownStopsTheRestoreAtItsPreChecksNamingIt() throws Exception {
        byte[] intact = object(second.toString());
        try (S3Repository repository = bucket.open()) {
            RestoreService service = new RestoreService(repository, pg.cluster().pgContext());
            RestorePlan plan = service.plan(RestoreRequest.rehearsal(RecoveryTarget.latest()), ProgressListener.NONE, Cancellation.none());
            assertThat(plan.walSegments()).contains(second.toString());
            try (S3Client client = s3.client()) {
                client.deleteObject(r -> r.bucket(bucket.bucket()).key(key(second.toString())));
            }
            try {
                RestoreReport r = service.run(plan, RestoreListener.NONE, Cancellation.none());
                assertThat(r.status()).isEqualTo(RestoreReport.FAILED);
                assertThat(r.steps()).extracting(RestoreReport.Step::name).containsExactly("pre-checks");
                assertThat(r.error()).as(r.error()).contains("s3://" + bucket.bucket() + "/" + BucketArchiving.PREFIX + "/wal_archive/" + second)
                        .doesNotContain("Exception");
                assertThat(r.hint()).isNotBlank();
            } finally {
                putObject(second.toString(), intact);
            }
        }
    }

    @Test
    @Order(5)
    void whenTheServiceRefusesWritesTheServerKeepsItsSegmentsAndEveryWriterSaysWhy() throws Exception {
        PgTestCluster c = pg.cluster();
        s3.restartReadOnly(true);
        String segment;
        try {
            long failedBefore = Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"));
            c.sql("INSERT INTO t SELECT g, 4 FROM generate_series(1, 10) g");
            segment = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver")) == failedBefore) {
                assertThat(System.nanoTime()).as("a failed archive attempt within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(c.queryOne("SELECT last_failed_wal FROM pg_stat_archiver")).isEqualTo(segment);
            assertThat(c.dataDir().resolve("pg_wal/archive_status/" + segment + ".ready")).exists();
            assertThat(bucket.objects()).doesNotContainKey("wal_archive/" + segment);
            String log = Files.readString(c.logFile());
            assertThat(log).contains("archive-wal: cannot write s3://" + bucket.bucket() + "/" + BucketArchiving.PREFIX + "/wal_archive/: the service takes no writes (HTTP 501)")
                    .contains("hint: the service or bucket is read-only here");

            CliRunner.Result backup = failed(bucket.cli("backup", "create", "--history-wait", "0"));
            assertThat(backup.err()).contains("s3://" + bucket.bucket()).contains("takes no writes");

            // reading still works: a plan is made from the bucket
            ok(bucket.cli("restore", "plan", "--latest"));
        } finally {
            s3.restartReadOnly(false);
        }
        // after three failures the archiver rests a minute; a new segment ready wakes it, and it takes the oldest first
        c.sql("INSERT INTO t SELECT g, 5 FROM generate_series(1, 10) g");
        c.sql("SELECT pg_switch_wal()");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!bucket.objects().containsKey("wal_archive/" + segment)) {
            assertThat(System.nanoTime()).as("segment " + segment + " archived once writes are taken again").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(object(segment)).isEqualTo(Files.readAllBytes(c.dataDir().resolve("pg_wal").resolve(segment)));
    }
}
