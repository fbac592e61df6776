package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restores of majors whose pg_basebackup cannot be installed here (16, 17, 18): the base backup
 * is taken with the server's SQL backup API ({@link SqlApiBackup#withData}), and everything after
 * it is the console's own path with that major's server: extraction, recovery settings, the
 * sandbox, 'restore check', replay to every target kind, and the checks on the recovered server.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class MajorsBaseBackupRestoreTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {16, 17, 18})
    void baseBackupOfThisMajorRestoresToEveryTargetKind(int major) throws Exception {
        try (PgTestCluster c = PgTestCluster.start(major, Map.of())) {
            // 18's initdb turns data checksums on by default: restores must cope with them
            assertThat(c.queryOne("SHOW data_checksums")).isEqualTo(major >= 18 ? "on" : "off");
            c.sql("CREATE TABLE t (id int, batch int)");
            c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
            BackupRecord backup = SqlApiBackup.withData(c, "backup_20260101_000000");
            String xidOfSecond;
            String lsnAfterSecond;
            Instant afterSecond;
            try (Connection con = c.connect(); Statement st = con.createStatement()) {
                while (!now(st).isAfter(SqlApiBackup.earliestTarget(backup))) {
                    st.execute("SELECT pg_sleep(0.05)");
                }
                try (ResultSet rs = st.executeQuery("WITH ins AS (INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g RETURNING 1)"
                        + " SELECT txid_current() FROM ins LIMIT 1")) {
                    rs.next();
                    xidOfSecond = rs.getString(1);
                }
                try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                    rs.next();
                    lsnAfterSecond = rs.getString(1);
                }
                afterSecond = now(st);
                st.execute("SELECT pg_create_restore_point('after_second')");
                // the third batch commits strictly later than the time target
                while (!now(st).isAfter(afterSecond.plusMillis(200))) {
                    st.execute("SELECT pg_sleep(0.05)");
                }
                st.execute("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
            }
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));

            RestoreCheckCli.passesWithProgramsOf(c, major, "--to-name", "after_second");
            RestoreService restores = new RestoreService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext());
            assertThat(rows(restores, RecoveryTarget.name("after_second"), major)).isEqualTo(150);
            assertThat(rows(restores, RecoveryTarget.time(OffsetDateTime.ofInstant(afterSecond, ZoneOffset.UTC)), major)).isEqualTo(150);
            assertThat(rows(restores, RecoveryTarget.xid(xidOfSecond), major)).isEqualTo(150);
            assertThat(rows(restores, RecoveryTarget.lsn(lsnAfterSecond), major)).isEqualTo(150);
            assertThat(rows(restores, RecoveryTarget.immediate(), major)).isEqualTo(100);
            assertThat(rows(restores, RecoveryTarget.latest(), major)).isEqualTo(175);
        }
    }

    /** Rows of public.t in a rehearsal; only the backup's own major's server can start its data directory. */
    private static long rows(RestoreService restores, RecoveryTarget target, int major) {
        RestoreReport r = restores.run(RestoreRequest.rehearsal(target), RestoreListener.NONE, Cancellation.none());
        assertThat(r.status()).as(target + ": " + r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        return r.rowCounts().get("public.t");
    }

    private static Instant now(Statement st) throws java.sql.SQLException {
        try (ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}
