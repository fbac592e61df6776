package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WalStatus;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.CheckpointRecord;
import io.pitrconsole.wal.SegmentScan;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalSegmentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WAL of every supported major, written by a real server of that major: commits at times the
 * server records (track_commit_timestamp), an aborted transaction, a restore point and a
 * checkpoint, compressed full-page images, in three archived segments after a backup. The index, the windows, the WAL status,
 * the xid lookup and the checkpoint's time must agree with the server, commit times to the
 * microsecond; a removed segment is a gap.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MajorsWalClusterTest {
    private static final Pattern NOTE_TIME = Pattern.compile("at (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}[+-]\\d{2}:\\d{2}) \\(LSN ");

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 14, 15, 16, 17, 18})
    void walOfThisMajorAgreesWithTheServer(int major, @TempDir Path tmp) throws Exception {
        try (PgTestCluster c = PgTestCluster.start(major, Map.of("track_commit_timestamp", "on",
                "autovacuum", "off", "wal_compression", "on", "wal_log_hints", "on"))) {
            assertThat(c.queryOne("SHOW server_version_num")).startsWith(String.valueOf(major));
            c.sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
            BackupRecord backup = SqlApiBackup.catalogue(c, "backup_20260101_000000");

            List<List<Instant>> batches = new ArrayList<>();
            List<String> segments = new ArrayList<>();
            long committed;
            long aborted;
            Instant pointBefore;
            Instant pointAfter;
            Lsn checkpointLsn;
            Instant checkpointTime;
            try (Connection con = c.connect(); Statement st = con.createStatement()) {
                // windows start a second after the .backup file's stop: commit only once that has passed
                while (!instantOf(st, "SELECT clock_timestamp()").isAfter(SqlApiBackup.earliestTarget(backup))) {
                    st.execute("SELECT pg_sleep(0.05)");
                }
                List<Long> first = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    first.add(longOf(st, "INSERT INTO ledger(note) VALUES ('b0') RETURNING txid_current()"));
                }
                pointBefore = instantOf(st, "SELECT clock_timestamp()");
                st.execute("SELECT pg_create_restore_point('before month end')");
                pointAfter = instantOf(st, "SELECT clock_timestamp()");
                batches.add(commitTimes(st, first));
                segments.add(c.switchWalAndWaitArchived(Duration.ofSeconds(60)));

                con.setAutoCommit(false);
                committed = longOf(st, "SELECT txid_current()");
                st.execute("INSERT INTO ledger(note) VALUES ('the transaction')");
                con.commit();
                aborted = longOf(st, "SELECT txid_current()");
                st.execute("INSERT INTO ledger(note) VALUES ('rolled back')");
                con.rollback();
                con.setAutoCommit(true);
                List<Long> second = new ArrayList<>(List.of(committed));
                second.add(longOf(st, "INSERT INTO ledger(note) VALUES ('b1') RETURNING txid_current()"));
                batches.add(commitTimes(st, second));
                // the checkpoint record is where PostgreSQL 17 changed the layout
                st.execute("CHECKPOINT");
                try (ResultSet rs = st.executeQuery("SELECT checkpoint_lsn::text, checkpoint_time FROM pg_control_checkpoint()")) {
                    rs.next();
                    checkpointLsn = Lsn.parse(rs.getString(1));
                    checkpointTime = rs.getTimestamp(2).toInstant();
                }
                // hint bits set after the checkpoint are logged as compressed full-page images in XLOG
                // records, whose image flags changed in 15
                st.execute("SELECT count(*) FROM ledger");
                segments.add(c.switchWalAndWaitArchived(Duration.ofSeconds(60)));

                List<Long> third = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    third.add(longOf(st, "INSERT INTO ledger(note) VALUES ('b2') RETURNING txid_current()"));
                }
                batches.add(commitTimes(st, third));
                segments.add(c.switchWalAndWaitArchived(Duration.ofSeconds(60)));
            }
            Instant lastCommit = batches.get(2).get(2);
            ArchiveLayout layout = new ArchiveLayout(c.archiveDir());

            WalStatus status = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root())).walStatus(ProgressListener.NONE, Cancellation.none());
            assertThat(status.damaged()).isEmpty();
            assertThat(status.gaps()).isEmpty();
            assertThat(status.newestSegment()).hasValueSatisfying(n -> assertThat(n.toString()).isEqualTo(segments.get(2)));
            assertThat(status.newestTransaction()).contains(lastCommit);
            WalStatus verified = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root())).walStatus(WalSegmentReader.Checks.FULL, ProgressListener.NONE, Cancellation.none());
            assertThat(verified.damaged()).isEmpty();

            RecoveryWindows w = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root())).windows(ProgressListener.NONE, Cancellation.none());
            assertThat(w.windows()).singleElement().satisfies(r -> {
                assertThat(r.backupId()).isEqualTo(backup.id());
                assertThat(r.timeline()).isEqualTo(1);
                assertThat(r.from()).isEqualTo(SqlApiBackup.earliestTarget(backup));
                assertThat(r.to()).isEqualTo(lastCommit);
                assertThat(r.endedByGap()).isEmpty();
            });

            WalArchiveIndex index = WalArchiveIndex.load(LocalDirectoryRepository.at(layout.root()), ProgressListener.NONE, Cancellation.none());
            assertThat(index.restorePoints()).singleElement().satisfies(p -> {
                assertThat(p.name()).isEqualTo("before month end");
                assertThat(p.time()).isBetween(pointBefore, pointAfter);
            });
            assertThat(index.segments().stream().flatMap(s -> Stream.of(s.firstXactTime(), s.lastXactTime()))
                    .flatMap(Optional::stream)).contains(batches.get(0).get(0), batches.get(1).get(1), lastCommit);

            WalSegmentName cpSegment = WalSegmentName.containing(1, checkpointLsn, index.segmentSize());
            SegmentScan scan = WalSegmentReader.scan(cpSegment, c.walArchive().resolve(cpSegment.toString()), Optional.empty());
            assertThat(scan.checkpoints()).filteredOn(cp -> cp.lsn().equals(checkpointLsn)).singleElement()
                    .satisfies(cp -> {
                        assertThat(cp.time()).isEqualTo(checkpointTime);
                        assertThat(cp.timeline()).isEqualTo(1);
                        assertThat(cp.shutdown()).isFalse();
                    });
            assertThat(scan.checkpoints()).extracting(CheckpointRecord::time).allSatisfy(t -> assertThat(t).isBetween(
                    backup.startTime().minusSeconds(1), lastCommit.plusSeconds(1)));

            RestoreService restores = new RestoreService(LocalDirectoryRepository.at(layout.root()), c.pgContext());
            RestorePlan commitPlan = restores.plan(RestoreRequest.rehearsal(RecoveryTarget.xid(String.valueOf(committed))),
                    ProgressListener.NONE, Cancellation.none());
            String note = commitPlan.notes().get(0);
            assertThat(note).startsWith("transaction " + committed + " committed at ");
            Matcher m = NOTE_TIME.matcher(note);
            assertThat(m.find()).as(note).isTrue();
            assertThat(OffsetDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")).toInstant())
                    .isEqualTo(batches.get(1).get(0));
            RestorePlan abortPlan = restores.plan(RestoreRequest.rehearsal(RecoveryTarget.xid(String.valueOf(aborted))),
                    ProgressListener.NONE, Cancellation.none());
            assertThat(abortPlan.notes().get(0)).startsWith("transaction " + aborted + " aborted at ");

            CliRunner.Result cli = CliRunner.run(Map.of(), "wal", "status", "--json", "--archive", c.archiveDir().toString());
            assertThat(cli.exit()).as(cli.err()).isZero();
            JsonNode json = Json.mapper().readTree(cli.out());
            assertThat(json.get("damaged")).isEmpty();
            CliRunner.Result windows = CliRunner.run(Map.of(), "windows", "--json", "--archive", c.archiveDir().toString());
            assertThat(windows.exit()).as(windows.err()).isZero();
            assertThat(Instant.parse(Json.mapper().readTree(windows.out()).at("/windows/0/to").asText())).isEqualTo(lastCommit);

            // a removed segment is a gap that ends the window at the last commit before it
            Path copy = tmp.resolve("archive");
            copyArchive(c.archiveDir(), copy, backup.id());
            Files.delete(copy.resolve("wal_archive").resolve(segments.get(1)));
            RecoveryWindows cut = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(copy)).windows(ProgressListener.NONE, Cancellation.none());
            RecoveryWindow r = cut.windows().get(0);
            assertThat(r.to()).isEqualTo(batches.get(0).get(2));
            assertThat(r.endedByGap()).hasValueSatisfying(g ->
                    assertThat(g.missing()).extracting(Object::toString).containsExactly(segments.get(1)));
        }
    }

    private static List<Instant> commitTimes(Statement st, List<Long> xids) throws SQLException {
        List<Instant> times = new ArrayList<>();
        for (long xid : xids) {
            // to the microsecond, as text: no driver or double rounding on the way
            try (ResultSet rs = st.executeQuery("SELECT to_char(pg_xact_commit_timestamp('" + xid
                    + "'::xid) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")) {
                rs.next();
                times.add(Instant.parse(rs.getString(1)));
            }
        }
        return times;
    }

    private static void copyArchive(Path from, Path to, String backupId) throws java.io.IOException {
        Files.createDirectories(to.resolve("wal_archive"));
        Files.createDirectories(to.resolve(backupId));
        Files.copy(from.resolve(backupId).resolve("backup.json"), to.resolve(backupId).resolve("backup.json"));
        try (Stream<Path> files = Files.list(from.resolve("wal_archive"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve("wal_archive").resolve(f.getFileName()));
            }
        }
    }

    private static long longOf(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instantOf(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}
