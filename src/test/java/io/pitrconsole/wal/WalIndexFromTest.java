package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore's planning indexes only the WAL from a location on (the oldest usable backup's start):
 * the segments before the one before it are neither read nor listed, and their cache entries stay,
 * so that the next index of the whole archive reads nothing again.
 */
class WalIndexFromTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @Test
    void indexFromALocationReadsOnlyFromTheSegmentBeforeItAndKeepsTheCacheOfTheRest(@TempDir Path tmp) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pg.cluster().sql("CREATE TABLE t" + i + " AS SELECT " + i + " AS x");
            names.add(pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30)));
        }
        ArchiveLayout layout = new ArchiveLayout(tmp);
        Path wal = Files.createDirectories(layout.walArchive());
        try (var archived = Files.list(pg.cluster().walArchive())) {
            for (Path p : archived.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).toList()) {
                Files.copy(p, wal.resolve(p.getFileName()));
            }
        }
        LocalDirectoryRepository repo = LocalDirectoryRepository.at(layout.root());
        WalSegmentName third = WalSegmentName.parse(names.get(2), WalSegmentName.DEFAULT_SEGMENT_SIZE);
        long all;
        try (var s = Files.list(wal)) {
            all = s.count();
        }

        WalArchiveIndex from = WalArchiveIndex.loadFrom(repo, Optional.of(third.startLsn()), ProgressListener.NONE, Cancellation.none());

        // the one before the location's segment is read too: a gap right before it is told as with the whole archive
        assertThat(from.segments()).extracting(s -> s.name().toString()).startsWith(names.get(1)).contains(names.get(2), names.get(3))
                .doesNotContain(names.get(0));
        assertThat(from.segmentsRead()).isEqualTo(from.segments().size());

        WalArchiveIndex whole = WalArchiveIndex.load(repo, ProgressListener.NONE, Cancellation.none());
        assertThat(whole.segments()).hasSize((int) all);
        assertThat(whole.segmentsRead()).as("only what the first run left out is read").isEqualTo((int) all - from.segments().size());

        WalArchiveIndex fromAgain = WalArchiveIndex.loadFrom(repo, Optional.of(third.startLsn()), ProgressListener.NONE, Cancellation.none());
        assertThat(fromAgain.segmentsRead()).isZero();
        WalArchiveIndex wholeAgain = WalArchiveIndex.load(repo, ProgressListener.NONE, Cancellation.none());
        assertThat(wholeAgain.segmentsRead()).as("the partial run kept the cache of the segments it left out").isZero();
    }
}
