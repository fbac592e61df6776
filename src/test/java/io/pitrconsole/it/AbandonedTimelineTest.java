package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An in-place restore creates timeline 2, the DBA rolls it back and the cluster goes on on
 * timeline 1: restores must follow timeline 1 unless timeline 2 is asked for by number.
 */
class AbandonedTimelineTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static OffsetDateTime beforeFork;
    static OffsetDateTime afterRollback;
    static RestoreReport rolledBack;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, batch int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        beforeFork = now(c);
        Thread.sleep(1000);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));

        // The restore the DBA will throw away: timeline 2, with work of its own archived.
        RestoreReport restored = service().run(RestoreRequest.inPlace(RecoveryTarget.time(beforeFork), c.dataDir())
                .connectingWith(c.connection()), RestoreListener.NONE, Cancellation.none());
        assertThat(restored.status()).as(restored.error() + " / " + restored.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(restored.restoredTimeline()).isEqualTo(2);
        c.sql("INSERT INTO t SELECT g, 9 FROM generate_series(1, 7) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        assertThat(c.walArchive().resolve("00000002.history")).isRegularFile();

        rolledBack = service().rollback(Optional.empty());
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("150");

        // The cluster goes on on timeline 1.
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
        afterRollback = now(c);
        Thread.sleep(1000);
        c.sql("INSERT INTO t SELECT g, 4 FROM generate_series(1, 1) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static OffsetDateTime now(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    private static RestoreService service() {
        return new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    private static RestorePlan plan(RecoveryTarget target) {
        return service().plan(RestoreRequest.rehearsal(target), ProgressListener.NONE, Cancellation.none());
    }

    private static long rows(RestoreReport r) {
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        return r.rowCounts().get("public.t");
    }

    @Test
    void rollbackRecordsTheAbandonedTimelineInTheArchive() {
        AbandonedTimelines recorded = AbandonedTimelines.load(LocalDirectoryRepository.at(pg.cluster().archiveDir()));

        assertThat(recorded.list()).singleElement().satisfies(a -> {
            assertThat(a.timeline()).isEqualTo(2);
            assertThat(a.parent()).isEqualTo(1);
            assertThat(a.continuedOn()).isEqualTo(1);
            assertThat(a.restoreId()).isEqualTo(rolledBack.id());
            assertThat(a.backupId()).isEqualTo(rolledBack.backup());
            assertThat(a.abandonedAt()).isAfter(rolledBack.startedAt());
        });
        assertThat(rolledBack.notes()).anyMatch(n -> n.contains("timeline 2 is recorded as abandoned"));
    }

    @Test
    void latestAndATimeBeforeTheForkFollowTheLiveTimeline() {
        RestorePlan latest = plan(RecoveryTarget.latest());
        RestorePlan early = plan(RecoveryTarget.time(beforeFork));

        assertThat(latest.target().timeline()).isEqualTo(1);
        assertThat(latest.settings()).containsEntry("recovery_target_timeline", "1");
        assertThat(early.target().timeline()).isEqualTo(1);
        assertThat(early.notes()).anyMatch(n -> n.contains("not following timeline 2"));
        assertThat(early.warnings()).isEmpty();
    }

    @Test
    void rehearsalToATimeAfterTheRollbackReachesTheNewCommitsOnANewTimelineAboveEveryHistoryFile() {
        RestorePlan p = plan(RecoveryTarget.time(afterRollback));
        assertThat(p.target().timeline()).isEqualTo(1);

        RestoreReport r = service().run(p, RestoreListener.NONE, Cancellation.none());

        // 100 + 50 before the restore, 25 after the rollback; none of timeline 2's 7, not the last 1
        assertThat(rows(r)).isEqualTo(175);
        // PostgreSQL picks the next timeline id above every history file it finds in the archive.
        assertThat(r.restoredTimeline()).isEqualTo(3);
    }

    @Test
    void theAbandonedTimelineAskedForByNumberStillRestoresWithAWarning() {
        RestorePlan p = plan(RecoveryTarget.latest().onTimeline(2));

        assertThat(p.target().timeline()).isEqualTo(2);
        assertThat(p.warnings()).singleElement().satisfies(w -> assertThat(w).contains("timeline 2").contains("abandoned")
                .contains(rolledBack.id()));

        RestoreReport r = service().run(p, RestoreListener.NONE, Cancellation.none());
        assertThat(rows(r)).isEqualTo(107);
        assertThat(r.notes()).anyMatch(n -> n.startsWith("warning: ") && n.contains("abandoned"));
    }

    @Test
    void restorePlanOnTheCommandLineNotesTheSkippedTimelineAndWarnsWhenItIsNamed() {
        PgTestCluster c = pg.cluster();
        String[] common = {"--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres",
                "--pg-bin", c.installation().binDir().toString()};
        var live = CliRunner.run(Map.of(), concat(new String[] {"restore", "plan", "--latest"}, common));
        var named = CliRunner.run(Map.of(), concat(new String[] {"restore", "plan", "--latest", "--timeline", "2"}, common));

        assertThat(live.exit()).as(live.err()).isZero();
        assertThat(live.out()).contains("recovery_target_timeline = '1'").contains("note         not following timeline 2")
                .doesNotContain("warning");
        assertThat(named.exit()).as(named.err()).isZero();
        assertThat(named.out()).contains("recovery_target_timeline = '2'")
                .containsPattern("warning +timeline 2 \\(branched from 1 at [0-9A-F]+/[0-9A-F]+\\) was abandoned at .* by rolling back "
                        + rolledBack.id());
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void windowsAndWalStatusShowTheTimelineAsAbandoned() throws Exception {
        String archive = pg.cluster().archiveDir().toString();
        var text = CliRunner.run(Map.of(), "windows", "--archive", archive);
        var json = CliRunner.run(Map.of(), "windows", "--json", "--archive", archive);
        var wal = CliRunner.run(Map.of(), "wal", "status", "--archive", archive);
        var walJson = CliRunner.run(Map.of(), "wal", "status", "--json", "--archive", archive);
        var list = CliRunner.run(Map.of(), "restore", "list", "--archive", archive);

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("Abandoned timelines").contains("timeline 2 (from timeline 1")
                .contains("by rolling back " + rolledBack.id()).contains("(timeline abandoned)");
        JsonNode w = Json.mapper().readTree(json.out());
        assertThat(w.get("windows")).allSatisfy(x -> assertThat(x.get("abandoned").asBoolean()).isEqualTo(x.get("timeline").asInt() == 2));
        assertThat(w.get("windows")).anySatisfy(x -> assertThat(x.get("timeline").asInt()).isEqualTo(2));
        assertThat(w.get("abandonedTimelines")).singleElement().satisfies(a -> {
            assertThat(a.get("timeline").asInt()).isEqualTo(2);
            assertThat(a.get("restore").asText()).isEqualTo(rolledBack.id());
        });
        assertThat(wal.exit()).as(wal.err()).isZero();
        assertThat(wal.out()).containsPattern("timeline 2: .*abandoned .* by rolling back " + rolledBack.id());
        JsonNode s = Json.mapper().readTree(walJson.out());
        assertThat(s.get("timelines")).anySatisfy(t -> {
            assertThat(t.get("timeline").asInt()).isEqualTo(2);
            assertThat(t.get("abandoned").get("restore").asText()).isEqualTo(rolledBack.id());
        });
        assertThat(s.get("timelines")).anySatisfy(t -> {
            assertThat(t.get("timeline").asInt()).isEqualTo(1);
            assertThat(t.get("abandoned").isNull()).isTrue();
        });
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("timeline 2 (abandoned): ").contains("timeline 1: ");
    }

}
