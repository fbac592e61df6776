package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.plan.RestorePlanner;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.WindowTargetValidator;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.WalArchiveIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restore's planning first indexes only the WAL from the newest usable backup's start on, and
 * the WAL from the oldest one's start on only when that cannot settle the target. Each plan here
 * is made on a machine with no WAL index cached, and must be the plan the WAL from the oldest
 * backup on gives (backup, timeline, WAL files, checks, notes, warnings); what was read is told by
 * what a later index from the oldest backup's start still has to read.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestorePlanFromNewestBackupTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static BackupRecord older;
    static BackupRecord newer;
    static OffsetDateTime betweenBackups;
    static OffsetDateTime afterNewer;

    @BeforeAll
    static void twoBackupsWithWalBetween() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, batch int)");
        older = backup();
        for (int i = 1; i <= 3; i++) {
            c.sql("INSERT INTO t SELECT g, " + i + " FROM generate_series(1, 100) g");
            c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        }
        betweenBackups = c.serverNow();
        Thread.sleep(1000);
        c.sql("INSERT INTO t SELECT g, 4 FROM generate_series(1, 10) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        newer = backup();
        c.sql("INSERT INTO t SELECT g, 5 FROM generate_series(1, 10) g");
        afterNewer = c.serverNow();
        Thread.sleep(1000);
        c.sql("INSERT INTO t SELECT g, 6 FROM generate_series(1, 10) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static BackupRecord backup() {
        PgTestCluster c = pg.cluster();
        return new BackupService(repo(), c.pgContext()).create(BackupRequest.defaults(c.connection()), ProgressListener.NONE,
                Cancellation.none()).backup();
    }

    private static LocalDirectoryRepository repo() {
        return LocalDirectoryRepository.at(pg.cluster().archiveDir());
    }


    /** The plan as `restore plan` makes it, on a machine that has indexed nothing yet. */
    private static RestorePlan planWithNoIndexCached(RestoreRequest request) throws IOException {
        try (Stream<Path> cached = Files.list(repo().localCache())) {
            for (Path p : cached.filter(p -> p.getFileName().toString().startsWith("wal-index")).toList()) {
                Files.delete(p);
            }
        }
        return new RestoreService(repo(), pg.cluster().pgContext()).plan(request, ProgressListener.NONE, Cancellation.none());
    }

    /** The plan over the windows of every usable backup, from the WAL from the oldest one's start on. */
    private static RestorePlan planFromOldest(RestoreRequest request) {
        LocalDirectoryRepository repo = repo();
        return new RestorePlanner(repo, new WindowTargetValidator(repo, new WindowService(repo).restoreWindows(ProgressListener.NONE,
                Cancellation.none()))).plan(request);
    }

    private static void assertSamePlan(RestorePlan p, RestorePlan fromOldest) {
        assertThat(p.backupId()).isEqualTo(fromOldest.backupId());
        assertThat(p.target()).isEqualTo(fromOldest.target());
        assertThat(p.walSegments()).isEqualTo(fromOldest.walSegments());
        assertThat(p.walBytes()).isEqualTo(fromOldest.walBytes());
        assertThat(p.walEnd()).isEqualTo(fromOldest.walEnd());
        assertThat(p.checks()).isEqualTo(fromOldest.checks());
        assertThat(p.notes()).isEqualTo(fromOldest.notes());
        assertThat(p.warnings()).isEqualTo(fromOldest.warnings());
    }

    /** The archived segments from the one before the older backup's start to the one two before the newer one's. */
    private static long segmentsBetweenTheBackups() throws IOException {
        long size = WalSegmentName.DEFAULT_SEGMENT_SIZE;
        long from = older.startLsn().segmentNumber(size) - 1;
        long to = newer.startLsn().segmentNumber(size) - 2;
        try (Stream<Path> s = Files.list(pg.cluster().walArchive())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}"))
                    .map(n -> WalSegmentName.parse(n, size).segmentNumber()).filter(n -> n >= from && n <= to).count();
        }
    }

    /** How many segments from the one before the older backup's start on the plan left unread. */
    private static int leftUnread() {
        return WalArchiveIndex.loadFrom(repo(), Optional.of(older.startLsn()), ProgressListener.NONE, Cancellation.none()).segmentsRead();
    }

    @Test
    @Order(1)
    void aRestoreToTheLatestWalReadsNoWalOlderThanTheNewestBackup() throws Exception {
        RestoreRequest latest = RestoreRequest.rehearsal(RecoveryTarget.latest());

        RestorePlan p = planWithNoIndexCached(latest);

        assertThat(p.backupId()).isEqualTo(newer.id());
        assertThat(segmentsBetweenTheBackups()).isGreaterThanOrEqualTo(3);
        assertThat(leftUnread()).as("segments between the two backups' starts, left unread").isEqualTo((int) segmentsBetweenTheBackups());
        assertSamePlan(p, planFromOldest(latest));
    }

    @Test
    @Order(2)
    void aTimeAfterTheNewestBackupReadsNoWalOlderThanIt() throws Exception {
        RestoreRequest after = RestoreRequest.rehearsal(RecoveryTarget.time(afterNewer));

        RestorePlan p = planWithNoIndexCached(after);

        assertThat(p.backupId()).isEqualTo(newer.id());
        assertThat(leftUnread()).isEqualTo((int) segmentsBetweenTheBackups());
        assertSamePlan(p, planFromOldest(after));
    }

    @Test
    @Order(3)
    void aTimeBeforeTheNewestBackupFallsBackToTheWalFromTheOldestOne() throws Exception {
        RestoreRequest between = RestoreRequest.rehearsal(RecoveryTarget.time(betweenBackups));

        RestorePlan p = planWithNoIndexCached(between);

        assertThat(p.backupId()).isEqualTo(older.id());
        assertThat(leftUnread()).as("everything from the older backup on was indexed").isZero();
        assertSamePlan(p, planFromOldest(between));
    }

    @Test
    @Order(4)
    void anOlderBackupAskedForByIdFallsBackToTheWalFromTheOldestOne() throws Exception {
        RestoreRequest fromOlder = RestoreRequest.rehearsal(RecoveryTarget.latest()).fromBackup(older.id());

        RestorePlan p = planWithNoIndexCached(fromOlder);

        assertThat(p.backupId()).isEqualTo(older.id());
        assertThat(leftUnread()).isZero();
        assertSamePlan(p, planFromOldest(fromOlder));
    }

    /**
     * An in-place restore to the latest WAL puts the cluster on timeline 2, and a third backup is
     * taken there. That backup has no window on timeline 1, where an older backup's window might
     * end later than any of its own: the plan falls back to the WAL from the oldest backup on.
     */
    @Test
    @Order(5)
    void aNewestBackupWithNoWindowOnEveryTimelineOfTheArchiveFallsBackToTheWalFromTheOldestOne() throws Exception {
        PgTestCluster c = pg.cluster();
        RestoreReport restored = new RestoreService(repo(), c.pgContext()).run(RestoreRequest.inPlace(RecoveryTarget.latest(), c.dataDir())
                .connectingWith(c.connection()), RestoreListener.NONE, Cancellation.none());
        assertThat(restored.status()).as(restored.error() + " / " + restored.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(restored.restoredTimeline()).isEqualTo(2);
        c.sql("INSERT INTO t SELECT g, 7 FROM generate_series(1, 10) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        BackupRecord onTimeline2 = backup();
        c.sql("INSERT INTO t SELECT g, 8 FROM generate_series(1, 10) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        RestoreRequest latest = RestoreRequest.rehearsal(RecoveryTarget.latest());

        RestorePlan p = planWithNoIndexCached(latest);

        assertThat(p.backupId()).isEqualTo(onTimeline2.id());
        assertThat(p.target().timeline()).isEqualTo(2);
        assertThat(leftUnread()).as("everything from the older backup on was indexed").isZero();
        assertSamePlan(p, planFromOldest(latest));
        assertThat(List.of(older.id(), newer.id())).doesNotContain(p.backupId());
    }
}
