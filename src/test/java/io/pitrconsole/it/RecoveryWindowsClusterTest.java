package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WalStatus;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.WalArchiveIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery windows from real WAL: a backup, then three batches of commits each forced into its
 * own archived segment, with a restore point in the first batch. Edges are checked against the
 * commit times the server itself recorded (track_commit_timestamp), to the microsecond.
 */
class RecoveryWindowsClusterTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on", "autovacuum", "off"));

    private static BackupRecord backup;
    private static final List<List<Instant>> batches = new ArrayList<>();
    private static final List<String> batchSegments = new ArrayList<>();
    private static Instant pointBefore;
    private static Instant pointAfter;
    private static Lsn pointEnd;

    @BeforeAll
    static void backupThenThreeArchivedBatches() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
        backup = new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup();
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            // windows start a second after the recorded stop: commit only once that has passed
            while (!instantOf(st, "SELECT clock_timestamp()").isAfter(backup.stopTime().plusSeconds(1))) {
                st.execute("SELECT pg_sleep(0.05)");
            }
            for (int batch = 0; batch < 3; batch++) {
                List<Long> xids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    xids.add(longOf(st, "INSERT INTO ledger(note) VALUES ('b" + batch + "') RETURNING txid_current()"));
                    if (batch == 0 && i == 2) {
                        pointBefore = instantOf(st, "SELECT clock_timestamp()");
                        try (ResultSet rs = st.executeQuery("SELECT pg_create_restore_point('before month end')::text")) {
                            rs.next();
                            pointEnd = Lsn.parse(rs.getString(1));
                        }
                        pointAfter = instantOf(st, "SELECT clock_timestamp()");
                    }
                }
                List<Instant> times = new ArrayList<>();
                for (long xid : xids) {
                    times.add(instantOf(st, "SELECT pg_xact_commit_timestamp('" + xid + "'::xid)"));
                }
                batches.add(times);
                batchSegments.add(c.switchWalAndWaitArchived(Duration.ofSeconds(60)));
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

    private static Instant lastCommitOf(int batch) {
        return batches.get(batch).get(batches.get(batch).size() - 1);
    }

    /** A copy of the archive's catalog and WAL to damage freely. */
    private static ArchiveLayout copyOfArchive(Path into) throws IOException {
        Path src = pg.cluster().archiveDir();
        Files.createDirectories(into.resolve("wal_archive"));
        Path bdir = into.resolve(backup.id());
        Files.createDirectories(bdir);
        Files.copy(src.resolve(backup.id()).resolve("backup.json"), bdir.resolve("backup.json"));
        try (Stream<Path> files = Files.list(src.resolve("wal_archive"))) {
            for (Path f : files.toList()) {
                Path to = into.resolve("wal_archive").resolve(f.getFileName());
                Files.copy(f, to);
                Files.setLastModifiedTime(to, Files.getLastModifiedTime(f));
            }
        }
        return new ArchiveLayout(into);
    }

    @Test
    void windowRunsFromBackupStopToTheLastCommitToTheMicrosecond() {
        RecoveryWindows w = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(pg.cluster().archiveDir())).windows(ProgressListener.NONE, Cancellation.none());

        assertThat(w.windows()).singleElement().satisfies(r -> {
            assertThat(r.backupId()).isEqualTo(backup.id());
            assertThat(r.timeline()).isEqualTo(1);
            // the .backup file has the stop to the second; the server clock read right after the
            // backup narrows it to the microsecond; without that the window starts a second later
            assertThat(r.from()).isEqualTo(earliestTarget(backup));
            assertThat(r.fromLsn()).isEqualTo(backup.stopLsn());
            assertThat(r.to()).isEqualTo(lastCommitOf(2));
            assertThat(r.endedByGap()).isEmpty();
        });
        assertThat(w.gaps()).isEmpty();
        assertThat(w.covering(batches.get(0).get(0), OptionalInt.of(1))).isPresent();
        assertThat(w.covering(lastCommitOf(2).plusNanos(1000), OptionalInt.empty())).isEmpty();
        assertThat(w.nearestRestorable(lastCommitOf(2).plusSeconds(60))).containsExactly(lastCommitOf(2).minusNanos(1000));
    }

    @Test
    void restorePointAppearsWithItsNameTimeAndLocation() {
        WalArchiveIndex index = WalArchiveIndex.load(LocalDirectoryRepository.at(pg.cluster().archiveDir()), ProgressListener.NONE, Cancellation.none());

        assertThat(index.restorePoints()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("before month end");
            assertThat(p.time()).isBetween(pointBefore, pointAfter);
            assertThat(p.timeline()).isEqualTo(1);
            // the server returns the end of the record, the index its start
            assertThat(p.lsn()).isLessThan(pointEnd);
            assertThat(p.lsn().segmentNumber(index.segmentSize()))
                    .isEqualTo(WalSegmentName.parse(batchSegments.get(0), index.segmentSize()).segmentNumber());
        });
        assertThat(index.restorePoints()).extracting(RestorePoint::time).allMatch(t -> t.isAfter(batches.get(0).get(2)));
    }

    @Test
    void deletedMiddleSegmentShowsAsGapAndEndsTheWindow(@TempDir Path tmp) throws IOException {
        ArchiveLayout copy = copyOfArchive(tmp);
        Files.delete(copy.walArchive().resolve(batchSegments.get(1)));

        RecoveryWindows w = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(copy.root())).windows(ProgressListener.NONE, Cancellation.none());

        RecoveryWindow r = w.windows().get(0);
        assertThat(r.to()).isEqualTo(lastCommitOf(0));
        assertThat(r.endedByGap()).hasValueSatisfying(g -> {
            assertThat(g.after().toString()).isEqualTo(batchSegments.get(0));
            assertThat(g.missing()).extracting(Object::toString).containsExactly(batchSegments.get(1));
        });
        assertThat(w.gaps()).hasSize(1);
        assertThat(w.covering(batches.get(2).get(0), OptionalInt.empty())).isEmpty();

        CliRunner.Result cli = CliRunner.run(Map.of(), "windows", "--json", "--archive", copy.root().toString());
        assertThat(cli.exit()).isZero();
        JsonNode json = Json.mapper().readTree(cli.out());
        assertThat(json.at("/windows/0/backup").asText()).isEqualTo(backup.id());
        assertThat(json.at("/windows/0/timeline").asInt()).isEqualTo(1);
        assertThat(Instant.parse(json.at("/windows/0/from").asText())).isEqualTo(earliestTarget(backup));
        assertThat(Instant.parse(json.at("/windows/0/to").asText())).isEqualTo(lastCommitOf(0));
        assertThat(json.at("/gaps/0/timeline").asInt()).isEqualTo(1);
        assertThat(json.at("/gaps/0/after").asText()).isEqualTo(batchSegments.get(0));
        assertThat(json.at("/gaps/0/missing/0").asText()).isEqualTo(batchSegments.get(1));

        CliRunner.Result text = CliRunner.run(Map.of(), "windows", "--archive", copy.root().toString());
        assertThat(text.out()).contains(backup.id()).contains("missing after " + batchSegments.get(0));
    }

    @Test
    void secondLoadReadsNoSegmentsAndAChangedSegmentIsReadAgain(@TempDir Path tmp) throws IOException {
        ArchiveLayout copy = copyOfArchive(tmp);
        WalArchiveIndex cold = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(cold.segmentsRead()).isEqualTo(cold.segments().size()).isGreaterThanOrEqualTo(4);
        assertThat(copy.stateDir().resolve("wal-index.bin")).isRegularFile();

        WalArchiveIndex warm = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(warm.segmentsRead()).isZero();
        assertThat(warm.segments()).isEqualTo(cold.segments());
        assertThat(warm.restorePoints()).isEqualTo(cold.restorePoints());

        // a changed file is read again, and so is the one before it (a record may continue into it)
        Path middle = copy.walArchive().resolve(batchSegments.get(1));
        Files.setLastModifiedTime(middle, FileTime.from(Instant.now().minusSeconds(3600)));
        WalArchiveIndex touched = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(touched.segmentsRead()).isEqualTo(2);
        assertThat(touched.segments()).isEqualTo(cold.segments());
    }

    @Test
    void compressedSegmentsIndexTheSameAsPlainOnes(@TempDir Path tmp) throws Exception {
        ArchiveLayout copy = copyOfArchive(tmp);
        WalArchiveIndex plain = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        compress(copy.walArchive().resolve(batchSegments.get(0)), "gzip");
        compress(copy.walArchive().resolve(batchSegments.get(1)), "zstd");

        WalArchiveIndex mixed = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(mixed.segmentsRead()).isEqualTo(3);
        assertThat(mixed.segment(WalSegmentName.parse(batchSegments.get(1), mixed.segmentSize())))
                .hasValueSatisfying(s -> assertThat(s.file().getFileName().toString()).endsWith(".zst"));
        assertThat(mixed.segments()).extracting(s -> s.name() + " " + s.lastXactTime() + " " + s.restorePoints() + " " + s.endLsn())
                .containsExactlyElementsOf(plain.segments().stream()
                        .map(s -> s.name() + " " + s.lastXactTime() + " " + s.restorePoints() + " " + s.endLsn()).toList());
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup), mixed);
        assertThat(w.windows().get(0).to()).isEqualTo(lastCommitOf(2));
    }

    private static void compress(Path segment, String tool) throws Exception {
        Process p = new ProcessBuilder(tool, "-q", tool.equals("zstd") ? "--rm" : "-f", segment.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void damagedOrForeignCacheIsRebuiltNotTrusted(@TempDir Path tmp) throws IOException {
        ArchiveLayout copy = copyOfArchive(tmp);
        WalArchiveIndex cold = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        Path cache = copy.stateDir().resolve("wal-index.bin");
        byte[] written = Files.readAllBytes(cache);

        Files.write(cache, java.util.Arrays.copyOf(written, written.length / 2));
        WalArchiveIndex afterTorn = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(afterTorn.segmentsRead()).isEqualTo(cold.segments().size());
        assertThat(afterTorn.segments()).isEqualTo(cold.segments());

        // an entry edited to claim a file of another size is not used: only its segment is read again
        String text = new String(Files.readAllBytes(cache), java.nio.charset.StandardCharsets.ISO_8859_1);
        String lied = text.replaceFirst("([0-9A-F]{24}):16777216:", "$1:16777217:");
        assertThat(lied).isNotEqualTo(text);
        Files.write(cache, lied.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        WalArchiveIndex afterLie = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(afterLie.segmentsRead()).isEqualTo(1);
        assertThat(afterLie.segments()).isEqualTo(cold.segments());

        // a cache written before the binary format is ignored and removed
        Files.writeString(copy.stateDir().resolve("wal-index.json"), "{\"format\":1,\"segmentSize\":16777216,\"segments\":[]}");
        Files.write(cache, "{\"format\":1}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        WalArchiveIndex afterOld = WalArchiveIndex.load(LocalDirectoryRepository.at(copy.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(afterOld.segmentsRead()).isEqualTo(cold.segments().size());
        assertThat(copy.stateDir().resolve("wal-index.json")).doesNotExist();
    }

    @Test
    void walStatusReportsNewestSegmentNewestTransactionAndRpo() {
        WalStatus s = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(pg.cluster().archiveDir())).walStatus(ProgressListener.NONE, Cancellation.none());

        assertThat(s.newestSegment()).hasValueSatisfying(n -> assertThat(n.toString()).isEqualTo(batchSegments.get(2)));
        assertThat(s.newestTransaction()).contains(lastCommitOf(2));
        assertThat(s.newestSegmentTime()).contains(lastCommitOf(2));
        assertThat(s.rpo()).hasValueSatisfying(r -> assertThat(r).isEqualTo(Duration.between(lastCommitOf(2), s.checkedAt())));
        assertThat(s.gaps()).isEmpty();
        assertThat(s.damaged()).isEmpty();
        assertThat(s.timelines()).singleElement().satisfies(t -> {
            assertThat(t.timeline()).isEqualTo(1);
            assertThat(t.segments()).isEqualTo(s.segmentCount());
        });
        assertThat(s.archiveBytes()).isGreaterThanOrEqualTo(s.segmentCount() * 16L * 1024 * 1024);

        CliRunner.Result cli = CliRunner.run(Map.of(), "wal", "status", "--json", "--archive", pg.cluster().archiveDir().toString());
        assertThat(cli.exit()).isZero();
        assertThat(cli.out()).contains("\"newestSegment\" : \"" + batchSegments.get(2) + "\"");
    }

    private static Instant earliestTarget(BackupRecord b) {
        return b.stopTimeSource().endsWith("+server-clock") ? b.stopTime() : b.stopTime().plusSeconds(1);
    }
}
