package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An in-place restore run by the CLI and interrupted: SIGTERM (as Ctrl-C) waits for the old data
 * directory to be put back and its server restarted; after SIGKILL, 'restore rollback' does it from
 * the restore's journal, records the timeline the killed restore's server promoted to as abandoned,
 * and no restore starts before that.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RestoreInterruptionTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("autovacuum", "off"));

    static InPlaceCrashKit kit;

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        kit = new InPlaceCrashKit(c);
        // Big enough that extraction takes a moment, so a signal lands inside it.
        c.sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 300000) g");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()).withCompression(io.pitrconsole.archive.Compression.NONE), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(300001, 400000) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static ArchiveLayout layout() {
        return new ArchiveLayout(pg.cluster().archiveDir());
    }

    private static RestoreService service() {
        return new RestoreService(LocalDirectoryRepository.at(layout().root()), pg.cluster().pgContext());
    }

    private static Map<String, String> env() {
        return Map.of();
    }

    private static String[] withCluster(String... args) {
        PgTestCluster c = pg.cluster();
        String[] all = new String[args.length + 8];
        System.arraycopy(args, 0, all, 0, args.length);
        String[] tail = {"--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres"};
        System.arraycopy(tail, 0, all, args.length, tail.length);
        return all;
    }

    @Test
    @Order(1)
    void sigtermDuringExtractionWaitsUntilTheOldDataDirectoryIsBackAndRunning() throws Exception {
        sigtermDuring("extract backup ...");
    }

    @Test
    @Order(2)
    void sigtermDuringRecoveryWaitsUntilTheOldDataDirectoryIsBackAndRunning() throws Exception {
        sigtermDuring("recover to target ...");
    }

    private void sigtermDuring(String step) throws Exception {
        InPlaceCrashKit.Fingerprint before = kit.fingerprint("t");
        Path out = pg.cluster().baseDir().resolve("sigterm.out");
        Process p = kit.inPlaceRestore(out);
        assertThat(InPlaceCrashKit.awaitOutput(p, out, step, Duration.ofSeconds(120))).as(InPlaceCrashKit.read(out)).isTrue();

        p.destroy(); // SIGTERM; Ctrl-C runs the same shutdown path
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();

        String printed = InPlaceCrashKit.read(out);
        assertThat(p.exitValue()).as(printed).isNotZero();
        assertThat(printed).contains(": ROLLED BACK");
        RestoreReport r = service().history().get(0);
        assertThat(r.status()).isEqualTo(RestoreReport.ROLLED_BACK);
        System.out.println("SIGTERM at '" + step + "': " + r.steps().stream().filter(s -> s.detail() != null && s.detail().startsWith("failed"))
                .map(s -> s.name() + " " + s.detail()).toList());
        assertThat(kit.serverRunning()).as("production's server runs again").isTrue();
        assertThat(kit.fingerprint("t")).isEqualTo(before);
        assertThat(kit.strays()).isEmpty();
    }

    @Test
    @Order(3)
    void killDuringExtractionIsRolledBackFromTheJournalAndBlocksTheNextRestoreUntilThen() throws Exception {
        InPlaceCrashKit.Fingerprint before = kit.fingerprint("t");
        Path out = pg.cluster().baseDir().resolve("kill-extract.out");
        Process p = kit.inPlaceRestore(out);
        assertThat(InPlaceCrashKit.awaitOutput(p, out, "extract backup ...", Duration.ofSeconds(120))).as(InPlaceCrashKit.read(out)).isTrue();
        p.destroyForcibly(); // SIGKILL: no cleanup runs
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kit.serverRunning()).as("the killed restore had stopped production").isFalse();

        CliRunner.Result refused = CliRunner.run(env(), withCluster("restore", "run", "--latest", "--in-place", "--data-dir",
                pg.cluster().dataDir().toString(), "--yes"));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("was interrupted").contains("restore rollback --data-dir " + pg.cluster().dataDir());
        assertThat(refused.noStackTrace()).isTrue();

        CliRunner.Result back = CliRunner.run(env(), withCluster("restore", "rollback", "--data-dir", pg.cluster().dataDir().toString()));
        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        assertThat(back.out()).contains("rolled back");
        assertThat(kit.serverRunning()).isTrue();
        assertThat(kit.fingerprint("t")).isEqualTo(before);
        assertThat(kit.strays()).isEmpty();
        assertThat(service().history().get(0).status()).isEqualTo(RestoreReport.ROLLED_BACK);
    }

    @Test
    @Order(4)
    void killDuringRecoveryLeavesAPromotedServerThatRollbackStopsAndWhoseTimelineItRecordsAsAbandoned() throws Exception {
        PgTestCluster c = pg.cluster();
        InPlaceCrashKit.Fingerprint before = kit.fingerprint("t");
        Path out = c.baseDir().resolve("kill-recovery.out");
        Process p = kit.inPlaceRestore(out);
        assertThat(InPlaceCrashKit.awaitOutput(p, out, "recover to target ...", Duration.ofSeconds(120))).as(InPlaceCrashKit.read(out)).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // The restored server outlives its restore, promotes itself and archives its new timeline.
        int stray = newestHistoryIn(c.dataDir().resolve("pg_wal"), Duration.ofSeconds(120));
        InPlaceCrashKit.waitUntil("the stray timeline archived", () -> Files.exists(c.walArchive().resolve(String.format("%08X.history", stray))),
                Duration.ofSeconds(60));

        CliRunner.Result back = CliRunner.run(env(), withCluster("restore", "rollback"));
        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        assertThat(back.out()).contains("timeline " + stray + " is recorded as abandoned");
        assertThat(kit.serverRunning()).isTrue();
        assertThat(kit.fingerprint("t")).isEqualTo(before);
        assertThat(kit.strays()).isEmpty();
        assertThat(AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root())).list()).extracting(AbandonedTimeline::timeline).contains(stray);

        // Production goes on; a restore to the latest WAL must follow production, not the stray timeline.
        c.sql("CREATE TABLE newest AS SELECT 1 AS id");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        RestoreReport rehearsal = service().run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());
        assertThat(rehearsal.status()).as(rehearsal.error() + " / " + rehearsal.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(rehearsal.rowCounts()).containsKey("public.newest");
    }

    @Test
    @Order(5)
    void aRestoredDataDirectoryKeepsTheOwnerAndGroupOfTheOldOne() throws Exception {
        PgTestCluster c = pg.cluster();
        PosixFileAttributes old = Files.readAttributes(c.dataDir(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        RestoreReport r = service().run(RestoreRequest.inPlace(RecoveryTarget.latest(), c.dataDir()).connectingWith(c.connection()),
                RestoreListener.NONE, Cancellation.none());
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        try (Stream<Path> s = Stream.of(c.dataDir(), c.dataDir().resolve("base"), c.dataDir().resolve("PG_VERSION"))) {
            s.forEach(p -> {
                try {
                    PosixFileAttributes now = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    assertThat(now.owner()).as(p.toString()).isEqualTo(old.owner());
                    assertThat(now.group()).as(p.toString()).isEqualTo(old.group());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        service().rollback(Optional.empty());
        assertThat(kit.strays()).isEmpty();
    }

    @Test
    @Order(6)
    void aKilledRehearsalLeavesNothingRunningThatDiscardDoesNotFind() throws Exception {
        PgTestCluster c = pg.cluster();
        Path sandbox = c.baseDir().resolve("killed-rehearsal");
        Path out = c.baseDir().resolve("kill-rehearsal.out");
        Process p = kit.cli(out, "restore", "run", "--latest", "--dir", sandbox.toString());
        assertThat(InPlaceCrashKit.awaitOutput(p, out, "recover to target ...", Duration.ofSeconds(120))).as(InPlaceCrashKit.read(out)).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        InPlaceCrashKit.waitUntil("the rehearsal's server runs on", () -> Files.exists(sandbox.resolve("data/postmaster.pid")), Duration.ofSeconds(60));

        CliRunner.Result discarded = CliRunner.run(env(), withCluster("restore", "discard"));
        assertThat(discarded.exit()).as(discarded.out() + discarded.err()).isZero();
        assertThat(discarded.out()).contains(sandbox.toString());
        assertThat(sandbox).doesNotExist();
        assertThat(kit.strays()).isEmpty();
        assertThat(ProcessHandle.allProcesses().map(h -> String.join(" ", h.info().arguments().orElse(new String[0]))))
                .noneMatch(a -> a.contains(sandbox.toString()));
    }

    @Test
    @Order(7)
    void theNextRehearsalStopsAndRemovesTheSandboxOfAKilledOne() throws Exception {
        PgTestCluster c = pg.cluster();
        Path sandbox = c.baseDir().resolve("killed-rehearsal-2");
        Path out = c.baseDir().resolve("kill-rehearsal-2.out");
        Process p = kit.cli(out, "restore", "run", "--latest", "--dir", sandbox.toString());
        assertThat(InPlaceCrashKit.awaitOutput(p, out, "recover to target ...", Duration.ofSeconds(120))).as(InPlaceCrashKit.read(out)).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        InPlaceCrashKit.waitUntil("the rehearsal's server runs on", () -> Files.exists(sandbox.resolve("data/postmaster.pid")), Duration.ofSeconds(60));

        RestoreReport next = service().run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertThat(next.status()).as(next.error() + " / " + next.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(next.notes()).anyMatch(n -> n.contains(sandbox.toString()) && n.contains("stopped and removed"));
        assertThat(sandbox).doesNotExist();
        assertThat(kit.strays()).isEmpty();
        assertThat(ProcessHandle.allProcesses().map(h -> String.join(" ", h.info().arguments().orElse(new String[0]))))
                .noneMatch(a -> a.contains(sandbox.toString()));
    }

    /** The newest timeline history file that appears in a pg_wal directory (a promotion writes one). */
    private static int newestHistoryIn(Path walDir, Duration timeout) {
        int[] found = {0};
        InPlaceCrashKit.waitUntil("a promotion in " + walDir, () -> {
            try (Stream<Path> s = Files.list(walDir)) {
                found[0] = s.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{8}\\.history"))
                        .mapToInt(n -> Integer.parseInt(n.substring(0, 8), 16)).max().orElse(0);
            } catch (Exception e) {
                return false;
            }
            return found[0] >= 2;
        }, timeout);
        return found[0];
    }
}
