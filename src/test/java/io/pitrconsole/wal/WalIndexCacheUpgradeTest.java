package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index cache written by a reader that knew only PostgreSQL 15 called every segment of another
 * major damaged ("bad page magic"). After an upgrade such a cache must be rebuilt, not trusted.
 */
class WalIndexCacheUpgradeTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @Test
    void cacheOfTheReaderThatKnewOnlyFifteenIsRebuilt(@TempDir Path tmp) throws Exception {
        pg.cluster().sql("CREATE TABLE t AS SELECT 1 AS x");
        String name = pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        ArchiveLayout layout = new ArchiveLayout(tmp);
        Path wal = Files.createDirectories(layout.walArchive());
        Path file = Files.copy(pg.cluster().walArchive().resolve(name), wal.resolve(name));
        WalSegmentName seg = WalSegmentName.parse(name, WalSegmentName.DEFAULT_SEGMENT_SIZE);

        // the entry the old reader would have cached for this very file, in the old cache format
        ArchivedSegmentFile f = new ArchivedSegmentFile(seg, LocalDirectoryRepository.at(tmp).wal(),
                new WalFile(name, Files.size(file), Files.getLastModifiedTime(file).toInstant()), false);
        SegmentInfo oldView = new SegmentInfo(seg, file, Files.size(file), seg.startLsn(), seg.startLsn(), Optional.empty(),
                Optional.empty(), List.of(), false,
                Optional.of("bad page magic 0xD116 at " + seg.startLsn() + " (PostgreSQL 15 writes 0xD110)"));
        byte[] cache = SegmentCacheFile.write(WalSegmentName.DEFAULT_SEGMENT_SIZE, List.of(SegmentCache.entryOf(f, Optional.empty(), oldView)));
        ByteBuffer.wrap(cache).putInt(8, 2); // format 2: written before the reader knew 13 to 18
        Files.createDirectories(layout.stateDir());
        Files.write(layout.stateDir().resolve(SegmentCache.FILE_NAME), cache);

        WalArchiveIndex index = WalArchiveIndex.load(LocalDirectoryRepository.at(layout.root()), ProgressListener.NONE, Cancellation.none());
        assertThat(index.damaged()).isEmpty();
        assertThat(index.segmentsRead()).isEqualTo(1);
    }
}
