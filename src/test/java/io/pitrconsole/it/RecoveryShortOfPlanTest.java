package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restore to the latest WAL whose server replays less than the plan promised: a damaged file
 * the plan needs stops the restore in its pre-checks, before the server is touched; one that goes
 * bad after them makes recovery end early, which the restore notices and reports as a failure
 * (rolled back in place) instead of a success with fewer rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class RecoveryShortOfPlanTest {
    private static final int SEGMENT = 16 << 20;
    private static final long ALL_ROWS = 1000 + 2000 + 500;

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    /** The segment holding the second batch: replayed by every restore of the latest WAL, after the first batch's. */
    static String second;

    private final List<Path> copies = new ArrayList<>();

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, batch int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 1000) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 2000) g");
        second = c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 500) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    @AfterEach
    void removeCopies() throws IOException {
        for (Path p : copies) {
            FileTrees.deleteRecursively(p);
        }
    }

    @Test
    @Order(1)
    void anIntactArchiveRestoresEveryRowAndSaysWhereRecoveryStopped() throws IOException {
        Path copy = copyArchive();
        RestoreReport r = service(copy).run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.rowCounts()).containsEntry("public.t", ALL_ROWS);
        assertThat(r.reachedTarget()).contains("redo done at ");
        assertThat(r.steps()).extracting(RestoreReport.Step::name).contains("check where recovery stopped");
        assertThat(r.steps()).filteredOn(s -> s.name().equals("recover to target")).singleElement()
                .extracting(RestoreReport.Step::detail).asString().contains("WAL file(s) staged ahead of the server");
    }

    @Test
    @Order(2)
    void truncatedZstOfAReplayedSegmentStopsTheRehearsalBeforeAnythingIsExtracted() throws IOException {
        Path copy = copyArchive();
        Path zst = compress(copy, second, ".zst");
        truncateToHalf(zst);

        var cli = CliRunner.run(Map.of(), "restore", "run", "--latest", "--rehearsal", "--archive", copy.toString(), "-U", "postgres",
                "--pg-bin", pg.cluster().installation().binDir().toString());

        assertThat(cli.exit()).as(cli.out() + cli.err()).isNotZero();
        assertThat(cli.out() + cli.err()).contains("WAL file " + second + ".zst is damaged", "hint:").doesNotContain("SUCCEEDED");
        RestoreReport r = service(copy).history().get(0);
        assertCaughtInPreChecks(r, second + ".zst");
        assertThat(r.error()).contains("compressed");
    }

    @Test
    @Order(3)
    void truncatedGzOfAReplayedSegmentStopsTheRehearsalBeforeAnythingIsExtracted() throws IOException {
        Path copy = copyArchive();
        Path gz = compress(copy, second, ".gz");
        truncateToHalf(gz);

        RestoreReport r = service(copy).run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertCaughtInPreChecks(r, second + ".gz");
        assertThat(r.error()).contains("compressed");
    }

    @Test
    @Order(4)
    void gzThatDecompressesToLessThanASegmentStopsTheRehearsalBeforeAnythingIsExtracted() throws IOException {
        Path copy = copyArchive();
        Path plain = copy.resolve("wal_archive").resolve(second);
        byte[] half = Arrays.copyOf(Files.readAllBytes(plain), SEGMENT / 2);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(plain.resolveSibling(second + ".gz")))) {
            out.write(half);
        }
        Files.delete(plain);

        RestoreReport r = service(copy).run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertCaughtInPreChecks(r, second + ".gz");
        assertThat(r.error()).contains(String.valueOf(SEGMENT / 2), String.valueOf(SEGMENT));
    }

    @Test
    @Order(5)
    void randomBytesNamedAsAReplayedSegmentStopTheRehearsalBeforeAnythingIsExtracted() throws IOException {
        Path copy = copyArchive();
        byte[] junk = new byte[SEGMENT];
        new Random(42).nextBytes(junk);
        Files.write(copy.resolve("wal_archive").resolve(second), junk);

        RestoreReport r = service(copy).run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertCaughtInPreChecks(r, second);
    }

    @Test
    @Order(5)
    void plainSegmentOfTheWrongSizeStopsTheRehearsalBeforeAnythingIsExtracted() throws IOException {
        Path copy = copyArchive();
        Path plain = copy.resolve("wal_archive").resolve(second);
        // the server refuses it whole ("archive file has wrong size"), though its WAL reads fine up to the switch
        byte[] longer = Arrays.copyOf(Files.readAllBytes(plain), SEGMENT + 8192);
        Files.write(plain, longer);

        RestoreReport r = service(copy).run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertCaughtInPreChecks(r, second);
        assertThat(r.error()).contains("file is " + (SEGMENT + 8192) + " bytes, a segment is " + SEGMENT);
    }

    @Test
    @Order(5)
    void segmentTheServersOsUserCannotReadStopsTheRehearsalBeforeAnythingIsExtracted() throws IOException {
        // the server runs as another OS user only when the tests run as root
        Assumptions.assumeTrue(OsUser.currentIsRoot());
        Path copy = copyArchive();
        Path plain = copy.resolve("wal_archive").resolve(second);
        // to restore_command an unreadable file is a missing one: recovery to the latest WAL would end before it
        Files.setOwner(plain, plain.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-------"));

        RestoreReport r = service(copy).run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE, Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.FAILED);
        assertThat(r.error()).contains("cannot read WAL file " + second);
        assertThat(r.hint()).contains("read access");
        assertThat(r.steps()).extracting(RestoreReport.Step::name).containsExactly("pre-checks");
    }

    @Test
    @Order(6)
    void truncatedZstStopsAnInPlaceRestoreWhileTheServerStillRuns() throws IOException {
        Path copy = copyArchive();
        truncateToHalf(compress(copy, second, ".zst"));

        RestoreReport r = service(copy).run(inPlace(), RestoreListener.NONE, Cancellation.none());

        assertCaughtInPreChecks(r, second + ".zst");
        assertThat(pg.cluster().control().isRunning(pg.cluster().dataDir())).isTrue();
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo(String.valueOf(ALL_ROWS));
    }

    @Test
    @Order(7)
    void segmentRemovedAfterThePreChecksFailsTheRehearsalInsteadOfSucceedingWithFewerRows() throws IOException {
        Path copy = copyArchive();
        Path file = copy.resolve("wal_archive").resolve(second);
        RestoreService service = service(copy);
        RestorePlan plan = service.plan(RestoreRequest.rehearsal(RecoveryTarget.latest()), ProgressListener.NONE, Cancellation.none());
        assertThat(plan.walSegments()).contains(second);

        RestoreReport r = service.run(plan, afterPreChecks(() -> Files.delete(file)), Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.FAILED);
        assertThat(r.error()).contains("recovery stopped at ", "the plan replays to " + plan.walEnd(), second);
        assertThat(r.reachedTarget()).contains("redo done at ");
        assertThat(r.hint()).isNotBlank();
    }

    @Test
    @Order(8)
    void segmentDamagedAfterThePreChecksRollsTheInPlaceRestoreBackWithProductionsRowsIntact() throws IOException {
        Path copy = copyArchive();
        Path zst = compress(copy, second, ".zst");
        RestoreService service = service(copy);
        RestorePlan plan = service.plan(inPlace(), ProgressListener.NONE, Cancellation.none());

        RestoreReport r = service.run(plan, afterPreChecks(() -> truncateToHalf(zst)), Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.ROLLED_BACK);
        assertThat(r.error()).contains("recovery stopped at ", "the plan replays to " + plan.walEnd(), second);
        assertThat(pg.cluster().control().isRunning(pg.cluster().dataDir())).isTrue();
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo(String.valueOf(ALL_ROWS));
        assertThat(pg.cluster().queryOne("SELECT pg_is_in_recovery()")).isEqualTo("f");
        // the restored server had promoted before the check failed: its timeline must not lead the next --latest astray
        assertThat(io.pitrconsole.archive.AbandonedTimelines.load(LocalDirectoryRepository.at(copy)).list())
                .extracting(io.pitrconsole.archive.AbandonedTimeline::timeline).contains(2);
        assertThat(r.notes()).anyMatch(n -> n.contains("recorded as abandoned"));
    }

    @Test
    @Order(9)
    void stagedCopyDamagedBeforeTheServerTakesItFailsTheRehearsal() throws IOException {
        Path copy = copyArchive();
        RestoreService service = service(copy);
        RestorePlan plan = service.plan(RestoreRequest.rehearsal(RecoveryTarget.latest()), ProgressListener.NONE, Cancellation.none());
        Path staged = plan.dataDirectory().getParent().resolve("wal-ahead").resolve(second);
        boolean[] damaged = {false};

        // the copy fetched ahead of the server is garbled after the pre-checks read the archive's: the server must not get past it
        RestoreReport r = service.run(plan, new RestoreListener() {
            @Override
            public void stepFinished(String step, double seconds) {
                if (step.equals("write recovery settings")) {
                    try {
                        long deadline = System.nanoTime() + 60_000_000_000L;
                        while (!Files.exists(staged) && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                        if (!Files.exists(staged)) {
                            throw new IllegalStateException(staged + " was never staged");
                        }
                        try (RandomAccessFile f = new RandomAccessFile(staged.toFile(), "rw")) {
                            byte[] junk = new byte[64 << 10];
                            new Random(7).nextBytes(junk);
                            f.seek(4096);
                            f.write(junk);
                        }
                        damaged[0] = true;
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }, Cancellation.none());

        assertThat(damaged[0]).isTrue();
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.FAILED);
        assertThat(r.error()).contains("recovery stopped at ", "the plan replays to " + plan.walEnd(), second);
        assertThat(r.rowCounts()).isEmpty();
        assertThat(plan.dataDirectory().getParent()).doesNotExist();
    }

    private static void assertCaughtInPreChecks(RestoreReport r, String fileName) {
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.FAILED);
        assertThat(r.error()).contains("WAL file " + fileName);
        assertThat(r.hint()).isNotBlank();
        assertThat(r.steps()).extracting(RestoreReport.Step::name).containsExactly("pre-checks");
    }

    private RestoreRequest inPlace() {
        return RestoreRequest.inPlace(RecoveryTarget.latest(), pg.cluster().dataDir()).connectingWith(pg.cluster().connection());
    }

    private static RestoreService service(Path archive) {
        return new RestoreService(LocalDirectoryRepository.at(archive), pg.cluster().pgContext());
    }

    /** Something done to the archive between the pre-checks and the server's start. */
    interface Damage {
        void apply() throws IOException;
    }

    private static RestoreListener afterPreChecks(Damage d) {
        return new RestoreListener() {
            @Override
            public void stepFinished(String step, double seconds) {
                if (step.equals("pre-checks")) {
                    try {
                        d.apply();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    /** Replaces the plain segment in the archive by a compressed copy, as a compressing archive_command leaves it. */
    private static Path compress(Path archive, String segment, String suffix) throws IOException {
        Path plain = archive.resolve("wal_archive").resolve(segment);
        Path out = plain.resolveSibling(segment + suffix);
        try (OutputStream o = Files.newOutputStream(out);
             OutputStream c = suffix.equals(".zst") ? new ZstdOutputStream(o) : new GZIPOutputStream(o)) {
            Files.copy(plain, c);
        }
        Files.delete(plain);
        return out;
    }

    private static void truncateToHalf(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    private Path copyArchive() throws IOException {
        Path dst = pg.cluster().copyOfArchive("pitr-short-archive-");
        copies.add(dst);
        return dst;
    }
}
