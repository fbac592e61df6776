package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archive.VerifyReport;
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
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In-place restores of a running server of another major than 15: 13 and 14 backed up with
 * pg_basebackup 15, and 16, 17 and 18, whose pg_basebackup cannot be installed here, from a base
 * backup the server writes itself ({@link ServerSideBaseBackup#full}), which verifies against the
 * manifest the server wrote. A restore to a
 * restore point replaces the running cluster and a rollback brings it back; a restore whose WAL
 * turns out damaged after the pre-checks puts the old data directory back and restarts it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MajorsInPlaceRestoreTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 14, 16, 17, 18})
    void inPlaceRestoreRollbackAndRollbackOnFailure(int major) throws Exception {
        try (PgTestCluster c = PgTestCluster.start(major, Map.of("autovacuum", "off"))) {
            c.sql("CREATE TABLE t (id int, batch int)");
            c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
            ArchiveLayout layout = new ArchiveLayout(c.archiveDir());
            if (major < 16) {
                new BackupService(LocalDirectoryRepository.at(layout.root()), c.pgContext()).create(BackupRequest.defaults(c.connection()).withCompression(Compression.NONE),
                        ProgressListener.NONE, Cancellation.none());
            } else {
                // written by the server itself, as pg_basebackup of this major would receive it, manifest included
                BackupRecord b = ServerSideBaseBackup.full(c, "backup_20260101_000000");
                VerifyReport verified = new BackupService(LocalDirectoryRepository.at(layout.root()), c.pgContext()).verify(b.id(), ProgressListener.NONE, Cancellation.none());
                assertThat(verified.problems()).isEmpty();
                assertThat(verified.ok()).isTrue();
                while (!Instant.parse(c.queryOne("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))
                        .isAfter(SqlApiBackup.earliestTarget(b))) {
                    c.sql("SELECT pg_sleep(0.05)");
                }
            }
            Lsn beforeSecond = Lsn.parse(c.queryOne("SELECT pg_current_wal_insert_lsn()::text"));
            c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
            c.sql("SELECT pg_create_restore_point('after_second')");
            c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));
            RestoreService restores = new RestoreService(LocalDirectoryRepository.at(layout.root()), c.pgContext());
            RestoreRequest request = RestoreRequest.inPlace(RecoveryTarget.name("after_second"), c.dataDir()).connectingWith(c.connection());

            RestoreReport r = restores.run(request, RestoreListener.NONE, Cancellation.none());
            assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
            assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("150");
            assertThat(c.queryOne("SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(c.queryOne("SELECT current_setting('server_version_num')")).startsWith(String.valueOf(major));
            Path aside = Path.of(r.movedAside().get(c.dataDir().toString()));
            assertThat(aside.resolve("PG_VERSION")).isRegularFile();

            RestoreReport back = restores.rollback(Optional.empty());
            assertThat(back.rolledBack()).isTrue();
            assertThat(aside).doesNotExist();
            assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("175");

            // WAL damaged once the pre-checks have read it: recovery falls short and the old directory goes back
            RestorePlan plan = restores.plan(request, ProgressListener.NONE, Cancellation.none());
            WalSegmentName segment = WalSegmentName.containing(1, beforeSecond, WalSegmentName.DEFAULT_SEGMENT_SIZE);
            RestoreReport failed = restores.run(plan, new RestoreListener() {
                @Override
                public void stepFinished(String step, double seconds) {
                    if (step.equals("pre-checks")) {
                        damage(c.walArchive().resolve(segment.toString()), beforeSecond);
                    }
                }
            }, Cancellation.none());
            assertThat(failed.status()).as(failed.error()).isEqualTo(RestoreReport.ROLLED_BACK);
            assertThat(failed.error()).contains("recovery ended before configured recovery target was reached");
            assertThat(c.control().isRunning(c.dataDir())).isTrue();
            assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("175");
            assertThat(RestoreInPlaceTest.DataDirAside.leftovers(c.dataDir())).isEmpty();
        }
    }

    /** Overwrites the archived WAL from a position on with garbage. */
    private static void damage(Path file, Lsn from) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] junk = new byte[64 * 1024];
            Arrays.fill(junk, (byte) 0x5a);
            f.seek(from.value() % WalSegmentName.DEFAULT_SEGMENT_SIZE);
            f.write(junk);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(Files.exists(file)).isTrue();
    }
}
