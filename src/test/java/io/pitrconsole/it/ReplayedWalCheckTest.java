package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A byte flipped inside a record body that the WAL index steps over (a large logical message):
 * windows and planning do not see it, 'restore check' and a restore's pre-checks do, for exactly
 * the WAL files the plan replays.
 */
class ReplayedWalCheckTest {
    private static final int PAGE = 8192;

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    /** The segment holding a big message before the backup, and the one holding one after it. */
    static String beforeBackup;
    static String afterBackup;
    /** Where the messages end (what pg_logical_emit_message returns). */
    static Lsn messageBefore;
    static Lsn messageAfter;
    /** A moment just before the first commit in the damaged segment, which comes before the damage. */
    static String justBeforeCommitInDamagedSegment;

    private final List<Path> copies = new ArrayList<>();

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        messageBefore = Lsn.parse(c.queryOne("SELECT pg_logical_emit_message(false, 'pitr', repeat('x', 100000))"));
        beforeBackup = c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT generate_series(1, 10)");
        c.sql("SELECT pg_create_restore_point('before_damage')");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        justBeforeCommitInDamagedSegment = c.queryOne("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')") + "+00";
        c.sql("INSERT INTO t VALUES (100)");
        messageAfter = Lsn.parse(c.queryOne("SELECT pg_logical_emit_message(false, 'pitr', repeat('y', 100000))"));
        c.sql("INSERT INTO t SELECT generate_series(11, 20)");
        afterBackup = c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT generate_series(21, 30)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        assertThat(WalSegmentName.parse(beforeBackup, WalSegmentName.DEFAULT_SEGMENT_SIZE).segmentNumber())
                .isEqualTo(messageBefore.segmentNumber(WalSegmentName.DEFAULT_SEGMENT_SIZE));
        assertThat(WalSegmentName.parse(afterBackup, WalSegmentName.DEFAULT_SEGMENT_SIZE).segmentNumber())
                .isEqualTo(messageAfter.segmentNumber(WalSegmentName.DEFAULT_SEGMENT_SIZE));
    }

    @AfterEach
    void removeCopies() throws IOException {
        for (Path p : copies) {
            FileTrees.deleteRecursively(p);
        }
    }

    @Test
    void checkFailsNamingTheDamagedSegmentTheRestoreReplaysWhileWindowsAndPlanningStayCheap() throws Exception {
        Path copy = copyArchiveWithoutState();
        flipInsideMessage(copy, afterBackup, messageAfter);

        // the index, and so windows and planning, step over the message's body
        assertThat(new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(copy)).walStatus(ProgressListener.NONE, Cancellation.none()).damaged()).isEmpty();
        var plan = CliRunner.run(Map.of(), args(copy, "restore", "plan", "--latest"));
        assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();

        var check = CliRunner.run(Map.of(), args(copy, "restore", "check", "--json"));
        assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(2);
        JsonNode j = Json.mapper().readTree(check.out());
        assertThat(j.get("result").asText()).isEqualTo("fail");
        List<JsonNode> wal = checks(j, "WAL records");
        assertThat(wal).singleElement().satisfies(w -> {
            assertThat(w.get("level").asText()).isEqualTo("fail");
            assertThat(w.get("detail").asText()).contains("WAL file " + afterBackup + " is damaged", "CRC mismatch in record at ");
            assertThat(w.get("hint").asText()).contains("recovery stops at ", "intact copy of " + afterBackup);
        });

        var text = CliRunner.run(Map.of(), args(copy, "restore", "check"));
        assertThat(text.out()).contains("[fail] WAL records", afterBackup, "hint: recovery stops at", "a restore would fail");

        // a restore of the same plan stops in its pre-checks, before it has extracted anything
        RestoreReport r = new RestoreService(LocalDirectoryRepository.at(copy), pg.cluster().pgContext())
                .run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());
        assertThat(r.status()).isEqualTo(RestoreReport.FAILED);
        assertThat(r.error()).contains("WAL file " + afterBackup + " is damaged");
        assertThat(r.steps()).extracting(RestoreReport.Step::name).doesNotContain("extract backup");
    }

    @Test
    void damageOutsideTheSegmentsThePlanReplaysDoesNotFailTheCheck() throws Exception {
        Path copy = copyArchiveWithoutState();
        flipInsideMessage(copy, beforeBackup, messageBefore);

        // before the backup's start: no restore from it reads that segment
        var latest = CliRunner.run(Map.of(), args(copy, "restore", "check", "--json"));
        assertThat(latest.exit()).as(latest.out() + latest.err()).isZero();
        JsonNode wal = checks(Json.mapper().readTree(latest.out()), "WAL records").get(0);
        assertThat(wal.get("level").asText()).isEqualTo("pass");
        assertThat(wal.get("detail").asText()).contains("each record's CRC checked", "decompressed to their end").doesNotContain(beforeBackup);

        // after the target: a restore to the restore point stops before the damaged segment
        flipInsideMessage(copy, afterBackup, messageAfter);
        var toPoint = CliRunner.run(Map.of(), args(copy, "restore", "check", "--to-name", "before_damage", "--json"));
        assertThat(toPoint.exit()).as(toPoint.out() + toPoint.err()).isZero();
        assertThat(checks(Json.mapper().readTree(toPoint.out()), "WAL records").get(0).get("level").asText()).isEqualTo("pass");
        // a time target stops at the first commit after it: in the damaged segment, but before the damage
        var plan = CliRunner.run(Map.of(), args(copy, "restore", "plan", "--to", justBeforeCommitInDamagedSegment, "--json"));
        assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
        List<String> replayed = new ArrayList<>();
        Json.mapper().readTree(plan.out()).get("walSegments").forEach(n -> replayed.add(n.asText()));
        assertThat(replayed).last().isEqualTo(afterBackup);
        var toTime = CliRunner.run(Map.of(), args(copy, "restore", "check", "--to", justBeforeCommitInDamagedSegment, "--json"));
        assertThat(toTime.exit()).as(toTime.out() + toTime.err()).isZero();
        assertThat(checks(Json.mapper().readTree(toTime.out()), "WAL records").get(0).get("level").asText()).isEqualTo("pass");
        var toLatest = CliRunner.run(Map.of(), args(copy, "restore", "check", "--latest", "--json"));
        assertThat(toLatest.exit()).isEqualTo(2);
        assertThat(checks(Json.mapper().readTree(toLatest.out()), "WAL records")).singleElement()
                .satisfies(w -> assertThat(w.get("detail").asText()).contains(afterBackup));
    }

    @Test
    void aCompressedSegmentThatFailsAtItsEndFailsTheCheckEvenWhenTheTargetStopsInIt() throws Exception {
        Path copy = copyArchiveWithoutState();
        Path plain = copy.resolve("wal_archive").resolve(afterBackup);
        Path gz = plain.resolveSibling(afterBackup + ".gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        Files.delete(plain);
        // the gzip trailer's CRC: every record reads, but restore_command's gzip -d fails on the whole file
        byte[] b = Files.readAllBytes(gz);
        b[b.length - 6] ^= 0x01;
        Files.write(gz, b);

        var toTime = CliRunner.run(Map.of(), args(copy, "restore", "check", "--to", justBeforeCommitInDamagedSegment, "--json"));
        assertThat(toTime.exit()).as(toTime.out() + toTime.err()).isEqualTo(2);
        assertThat(checks(Json.mapper().readTree(toTime.out()), "WAL records")).singleElement()
                .satisfies(w -> assertThat(w.get("detail").asText()).contains(afterBackup, "compressed data is corrupt"));
    }

    /** Flips one byte in the middle of a page wholly inside the 100 kB message ending at end. */
    private static void flipInsideMessage(Path archive, String segment, Lsn end) throws IOException {
        Path f = archive.resolve("wal_archive").resolve(segment);
        byte[] b = Files.readAllBytes(f);
        long segStart = WalSegmentName.parse(segment, WalSegmentName.DEFAULT_SEGMENT_SIZE).startLsn().value();
        int off = (int) (((end.value() - segStart) / PAGE - 5) * PAGE + 100);
        b[off] ^= 0x10;
        Files.write(f, b);
    }

    private static String[] args(Path archive, String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", archive.toString(), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    private static List<JsonNode> checks(JsonNode result, String name) {
        List<JsonNode> out = new ArrayList<>();
        result.get("checks").forEach(c -> {
            if (c.get("name").asText().equals(name)) {
                out.add(c);
            }
        });
        assertThat(out).as("checks named " + name + " in " + result).isNotEmpty();
        return out;
    }

    private Path copyArchiveWithoutState() throws IOException {
        Path dst = pg.cluster().copyOfArchive("pitr-walcheck-archive-");
        copies.add(dst);
        return dst;
    }
}
