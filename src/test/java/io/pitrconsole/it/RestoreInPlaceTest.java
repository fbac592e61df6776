package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In-place restores of a real, running cluster: success then rollback, and a failure that puts everything back. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreInPlaceTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static OffsetDateTime betweenFirstAndSecond;
    static String lsnBeforeSecond;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, batch int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        betweenFirstAndSecond = OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
        Thread.sleep(1000);
        lsnBeforeSecond = c.queryOne("SELECT pg_current_wal_insert_lsn()");
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        c.sql("SELECT pg_create_restore_point('after_second')");
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 1) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private RestoreService service() {
        return new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    private RestoreRequest inPlace(RecoveryTarget target) {
        return RestoreRequest.inPlace(target, pg.cluster().dataDir()).connectingWith(pg.cluster().connection());
    }

    @Test
    @Order(1)
    void restoresTheRunningClusterInPlaceAndRollsBack() {
        RestoreReport r = service().run(inPlace(RecoveryTarget.time(betweenFirstAndSecond)), RestoreListener.NONE, Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.steps()).extracting(RestoreReport.Step::name).startsWith("pre-checks", "stop server", "move data directory aside");
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo("100");
        assertThat(pg.cluster().queryOne("SELECT pg_is_in_recovery()")).isEqualTo("f");
        Path aside = Path.of(r.movedAside().get(pg.cluster().dataDir().toString()));
        assertThat(aside.resolve("PG_VERSION")).isRegularFile();

        RestoreReport back = service().rollback(Optional.empty());

        assertThat(back.rolledBack()).isTrue();
        assertThat(aside).doesNotExist();
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo("151");
        assertThat(service().history().get(0).status()).isEqualTo(RestoreReport.ROLLED_BACK);
    }

    @Test
    @Order(2)
    void damagedWalOnTheWayPutsTheOldDirectoryBackByteForByteAndRestartsTheServer() throws IOException {
        RestorePlan plan = service().plan(inPlace(RecoveryTarget.name("after_second")), ProgressListener.NONE, Cancellation.none());
        WalSegmentName segment = WalSegmentName.containing(1, Lsn.parse(lsnBeforeSecond), WalSegmentName.DEFAULT_SEGMENT_SIZE);
        Path file = pg.cluster().walArchive().resolve(segment.toString());
        byte[] intact = Files.readAllBytes(file);

        // damaged before the run: the pre-checks read every record of the plan's WAL and stop before the server
        damage(segment, Lsn.parse(lsnBeforeSecond));
        RestoreReport caught = service().run(plan, RestoreListener.NONE, Cancellation.none());
        assertThat(caught.status()).isEqualTo(RestoreReport.FAILED);
        assertThat(caught.error()).contains("WAL file " + segment + " is damaged");
        assertThat(caught.steps()).extracting(RestoreReport.Step::name).containsExactly("pre-checks");
        assertThat(pg.cluster().control().isRunning(pg.cluster().dataDir())).isTrue();
        Files.write(file, intact);

        // damaged after the pre-checks: only recovery meets it, and the old directory goes back
        Map<String, String> whenStopped = new HashMap<>();
        Map<String, String> beforeRestart = new HashMap<>();
        RestoreReport r = service().run(plan, new RestoreListener() {
            @Override
            public void stepFinished(String step, double seconds) {
                if (step.equals("pre-checks")) {
                    try {
                        damage(segment, Lsn.parse(lsnBeforeSecond));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                if (step.equals("stop server")) {
                    whenStopped.putAll(checksumsOfDataDir());
                }
            }

            @Override
            public void stepStarted(String step) {
                if (step.equals("restart server")) {
                    beforeRestart.putAll(checksumsOfDataDir());
                }
            }
        }, Cancellation.none());

        assertThat(r.status()).isEqualTo(RestoreReport.ROLLED_BACK);
        assertThat(r.error()).contains("recovery ended before configured recovery target was reached");
        assertThat(whenStopped).isNotEmpty();
        assertThat(beforeRestart).isEqualTo(whenStopped);
        assertThat(pg.cluster().control().isRunning(pg.cluster().dataDir())).isTrue();
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo("151");
        assertThat(DataDirAside.leftovers(pg.cluster().dataDir())).isEmpty();
    }

    private Map<String, String> checksumsOfDataDir() {
        try {
            return RestoreRehearsalTest.checksums(pg.cluster().dataDir(), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Overwrites WAL from the given position on with garbage, in the archived copy recovery will read. */
    private void damage(WalSegmentName segment, Lsn from) throws IOException {
        Path file = pg.cluster().walArchive().resolve(segment.toString());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] junk = new byte[64 * 1024];
            Arrays.fill(junk, (byte) 0x5a);
            f.seek(from.value() % WalSegmentName.DEFAULT_SEGMENT_SIZE);
            f.write(junk);
        }
    }

    /** Directories a restore moved aside next to the data directory. */
    static final class DataDirAside {
        static java.util.List<Path> leftovers(Path dataDir) throws IOException {
            try (var s = java.nio.file.Files.list(dataDir.getParent())) {
                return s.filter(p -> p.getFileName().toString().startsWith(dataDir.getFileName() + ".pitr-old-")).toList();
            }
        }
    }
}
