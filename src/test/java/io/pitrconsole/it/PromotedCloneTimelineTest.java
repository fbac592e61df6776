package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WalStatus;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.WalArchiveIndex;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backup restored into a second data directory, recovered from the archive to its end and
 * promoted, archiving into the same archive: timeline 2 appears with the branch point the clone
 * wrote, and the backup's windows follow both timelines to their own last commits.
 */
class PromotedCloneTimelineTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on", "autovacuum", "off"));

    private static Path cloneBase;
    private static Path cloneData;
    private static int clonePort;
    private static BackupRecord backup;
    private static Instant cloneLastCommit;
    private static Instant primaryLastCommit;
    private static Lsn serverBranchLsn;

    @BeforeAll
    static void restorePromoteAndDiverge() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
        backup = new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()).withCompression(Compression.NONE), ProgressListener.NONE,
                        Cancellation.none()).backup();
        waitUntil(() -> Instant.parse(queryOne(c.connection(), "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))
                .isAfter(backup.stopTime().plusSeconds(1)), "a second past the backup's stop");
        c.sql("INSERT INTO ledger(note) VALUES ('before the clone')");
        c.switchWalAndWaitArchived(Duration.ofSeconds(60));

        cloneBase = Files.createTempDirectory("pitr-clone-");
        cloneData = cloneBase.resolve("data");
        Files.createDirectories(cloneData.resolve("pg_wal"));
        Path backupDir = c.archiveDir().resolve(backup.id());
        untar(backupDir.resolve("base.tar"), cloneData);
        if (Files.exists(backupDir.resolve("pg_wal.tar"))) {
            untar(backupDir.resolve("pg_wal.tar"), cloneData.resolve("pg_wal"));
        }
        clonePort = freePort();
        String wal = c.walArchive().toString();
        Files.writeString(cloneData.resolve("postgresql.auto.conf"), String.join("\n",
                "port = " + clonePort,
                "unix_socket_directories = '" + cloneBase + "'",
                "restore_command = 'cp " + wal + "/%f %p'",
                "recovery_target_timeline = 'latest'",
                "archive_command = 'test ! -f " + wal + "/%f && cp %p " + wal + "/%f.tmp && mv " + wal + "/%f.tmp " + wal + "/%f'",
                ""), StandardOpenOption.APPEND, StandardOpenOption.CREATE);
        Files.createFile(cloneData.resolve("recovery.signal"));
        Files.setPosixFilePermissions(cloneData, PosixFilePermissions.fromString("rwx------"));
        c.giveToServerUser(cloneBase);
        c.control().start(cloneData, cloneBase.resolve("clone.log"), 120);

        ConnectionSettings clone = ConnectionSettings.local(clonePort, PgTestCluster.SUPERUSER);
        waitUntil(() -> "f".equals(queryOne(clone, "SELECT pg_is_in_recovery()")), "the clone to promote");
        try (Connection con = PgConnections.open(clone); Statement st = con.createStatement()) {
            long xid = longOf(st, "INSERT INTO ledger(note) VALUES ('on the clone') RETURNING txid_current()");
            cloneLastCommit = commitTime(st, xid);
            String seg = queryOne(clone, "SELECT pg_walfile_name(pg_switch_wal())");
            waitUntil(() -> Files.exists(c.walArchive().resolve(seg)), "the clone's segment " + seg + " to be archived");
        }
        waitUntil(() -> Files.exists(c.walArchive().resolve("00000002.history")), "00000002.history to be archived");
        serverBranchLsn = Lsn.parse(Files.readString(cloneData.resolve("pg_wal/00000002.history")).strip().split("\\s+")[1]);

        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            long xid = longOf(st, "INSERT INTO ledger(note) VALUES ('on the primary') RETURNING txid_current()");
            primaryLastCommit = commitTime(st, xid);
        }
        c.switchWalAndWaitArchived(Duration.ofSeconds(60));
    }

    @AfterAll
    static void dropClone() throws IOException {
        if (cloneData != null && Files.exists(cloneData.resolve("postmaster.pid"))) {
            pg.cluster().control().stop(cloneData, "immediate");
        }
        if (cloneBase != null) {
            FileTrees.deleteRecursively(cloneBase);
        }
    }

    @Test
    void newTimelineAppearsWithTheBranchPointTheServerWrote() {
        WalArchiveIndex index = WalArchiveIndex.load(LocalDirectoryRepository.at(pg.cluster().archiveDir()), ProgressListener.NONE, Cancellation.none());

        assertThat(index.timelines().timelines()).containsExactly(1, 2);
        assertThat(index.timelines().parentOf(2)).isEqualTo(OptionalInt.of(1));
        assertThat(index.timelines().branchLsn(2)).contains(serverBranchLsn);
        assertThat(serverBranchLsn).isGreaterThan(backup.stopLsn());
        WalSegmentName firstOfTwo = WalSegmentName.containing(2, serverBranchLsn, index.segmentSize());
        assertThat(index.segment(firstOfTwo)).isPresent();
        assertThat(index.gaps()).isEmpty();

        WalStatus s = WalStatus.of(index, Instant.now());
        assertThat(s.timelines()).filteredOn(t -> t.timeline() == 2).singleElement().satisfies(t -> {
            assertThat(t.parent()).isEqualTo(OptionalInt.of(1));
            assertThat(t.branchLsn()).contains(serverBranchLsn);
            assertThat(t.first()).contains(firstOfTwo);
        });
    }

    @Test
    void backupWindowsFollowBothTimelinesToTheirOwnLastCommits() {
        RecoveryWindows w = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(pg.cluster().archiveDir())).windows(ProgressListener.NONE, Cancellation.none());

        assertThat(w.windows()).extracting(RecoveryWindow::timeline).containsExactlyInAnyOrder(1, 2);
        RecoveryWindow one = w.windows().stream().filter(r -> r.timeline() == 1).findFirst().orElseThrow();
        RecoveryWindow two = w.windows().stream().filter(r -> r.timeline() == 2).findFirst().orElseThrow();
        Instant from = backup.stopTimeSource().endsWith("+server-clock") ? backup.stopTime() : backup.stopTime().plusSeconds(1);
        assertThat(one.from()).isEqualTo(from);
        assertThat(two.from()).isEqualTo(from);
        assertThat(one.to()).isEqualTo(primaryLastCommit);
        assertThat(two.to()).isEqualTo(cloneLastCommit);
        assertThat(w.covering(cloneLastCommit, OptionalInt.of(2))).isPresent();

        CliRunner.Result text = CliRunner.run(Map.of(), "wal", "status", "--archive", pg.cluster().archiveDir().toString());
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("timeline 2:").contains("branched from timeline 1 at " + serverBranchLsn);
    }

    private static void untar(Path tar, Path into) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String queryOne(ConnectionSettings cs, String sql) {
        try (Connection con = PgConnections.open(cs); Statement st = con.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static long longOf(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant commitTime(Statement st, long xid) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_xact_commit_timestamp('" + xid + "'::xid)")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
