package io.pitrconsole.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.RealWal;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.BackupHistoryFile;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL index and the recovery windows over a repository held in memory: real WAL from a real
 * server, streamed from memory with no local file and no cache, gives the same index and the
 * same windows as the same files in an archive directory (read mapped, as always).
 */
class InMemoryWalWindowsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    static Path tmp;

    private static RealWal wal;

    @BeforeAll
    static void archiveRealWal() throws Exception {
        wal = RealWal.archive(pg.cluster(), tmp.resolve("archive"));
    }

    @Test
    void indexFromMemoryIsTheIndexFromTheDirectory() {
        WalArchiveIndex memory = WalArchiveIndex.load(wal.memory, ProgressListener.NONE, Cancellation.none());
        WalArchiveIndex disk = WalArchiveIndex.load(LocalDirectoryRepository.at(wal.disk), ProgressListener.NONE, Cancellation.none());

        assertThat(memory.segments()).hasSameSizeAs(disk.segments()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(memory.segmentsRead()).isEqualTo(memory.segments().size());
        assertThat(wal.memory.wal().opened()).isGreaterThanOrEqualTo(memory.segments().size());
        for (int i = 0; i < disk.segments().size(); i++) {
            SegmentInfo m = memory.segments().get(i);
            SegmentInfo d = disk.segments().get(i);
            // only where the bytes came from differs: a bare name in memory, the mapped file on disk
            assertThat(m.file()).isEqualTo(Path.of(d.file().getFileName().toString()));
            assertThat(m).usingRecursiveComparison().ignoringFields("file").isEqualTo(d);
        }
        assertThat(memory.segments()).allMatch(SegmentInfo::valid);
        assertThat(memory.restorePoints()).extracting(p -> p.name()).containsExactly("in memory");
        assertThat(memory.restorePoints()).isEqualTo(disk.restorePoints());
        assertThat(memory.backupHistory()).isEqualTo(disk.backupHistory()).isNotEmpty();
        assertThat(memory.gaps()).isEmpty();
        assertThat(memory.totalBytes()).isEqualTo(disk.totalBytes());
        assertThat(memory.segmentSize()).isEqualTo(wal.segmentSize);
    }

    @Test
    void windowsFromMemoryAreTheWindowsFromTheDirectory() {
        RecoveryWindows memory = RecoveryWindows.compute(List.of(wal.backup),
                WalArchiveIndex.load(wal.memory, ProgressListener.NONE, Cancellation.none()));
        RecoveryWindows disk = RecoveryWindows.compute(List.of(wal.backup),
                WalArchiveIndex.load(LocalDirectoryRepository.at(wal.disk), ProgressListener.NONE, Cancellation.none()));

        assertThat(memory.windows()).isEqualTo(disk.windows()).hasSize(1);
        RecoveryWindow w = memory.windows().get(0);
        assertThat(w.backupId()).isEqualTo(wal.backup.id());
        // the window reaches the last commit archived, which came between these two readings of the clock
        assertThat(w.to()).isAfter(wal.beforeCommits).isBefore(wal.afterCommits);
        assertThat(memory.unrestorable()).isEmpty();
    }

    @Test
    void backupHistoryFilesReadSeveralAtATimeKeepTheirOrderAndAnUnreadableOneIsAProblem() throws Exception {
        RealWal.Copy copy = wal.copyOfMemory();
        WalArchiveIndex before = WalArchiveIndex.load(copy.memory(), ProgressListener.NONE, Cancellation.none());
        BackupHistoryFile real = before.backupHistory().get(0);
        byte[] text;
        try (java.io.InputStream in = copy.memory().wal().open(real.fileName())) {
            text = in.readAllBytes();
        }
        // names that sort before and after the real one; the content of another backup is not checked against its name
        List<String> copies = List.of("000000010000000000000000.00000028.backup", "0000000100000000000000FF.00000028.backup",
                "0000000100000000000000FE.00000028.backup");
        copy.memory().wal().put(copies.get(0), new java.io.ByteArrayInputStream(text));
        copy.memory().wal().put(copies.get(1), new java.io.ByteArrayInputStream(text));
        copy.memory().wal().put(copies.get(2), new java.io.ByteArrayInputStream("START WAL LOCATION: zz/zz (file 000000010000000000000002)\nSTART TIME: not a time\n".getBytes()));

        WalArchiveIndex index = WalArchiveIndex.load(copy.memory(), ProgressListener.NONE, Cancellation.none());
        List<String> names = index.backupHistory().stream().map(BackupHistoryFile::fileName).toList();
        assertThat(names).hasSize(before.backupHistory().size() + 2).contains(copies.get(0), copies.get(1), real.fileName())
                .isSorted().doesNotContain(copies.get(2));
        assertThat(index.problems()).anyMatch(p -> p.startsWith(copies.get(2) + " is unreadable"));
    }

    @Test
    void aSegmentMissingFromMemoryIsAGapThatEndsTheWindow() {
        RealWal.Copy copy = wal.copyOfMemory();
        copy.memory().wal().delete(wal.switched.get(0));

        WalArchiveIndex index = WalArchiveIndex.load(copy.memory(), ProgressListener.NONE, Cancellation.none());
        RecoveryWindows windows = RecoveryWindows.compute(List.of(wal.backup), index);

        assertThat(index.gaps()).singleElement().satisfies(g -> assertThat(g.missing()).extracting(Object::toString)
                .containsExactly(wal.switched.get(0)));
        assertThat(windows.windows()).singleElement().satisfies(w -> assertThat(w.to()).isBefore(wal.afterCommits));
    }
}
