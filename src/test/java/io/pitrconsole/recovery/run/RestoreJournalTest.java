package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore journal as the next process finds it: steps and planned moves kept, stale pointers dropped, damage reported. */
class RestoreJournalTest {
    @TempDir
    Path tmp;

    private RestoreJournal.Entry entry(Path data) {
        return new RestoreJournal.Entry(RestoreJournal.VERSION, "restore_1", RestoreMode.IN_PLACE, data.toString(), null, "backup_1", "latest",
                null, null, 5432, true, Map.of(), null, List.of(), RestoreJournal.Owner.current(), Instant.now(), Instant.now());
    }

    @Test
    void aJournalLeftOpenIsFoundWithItsStepsAndPlannedMovesUntilClosed() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(Files.createDirectories(tmp.resolve("archive")));
        Path data = tmp.resolve("data");
        RestoreJournal j = RestoreJournal.open(LocalDirectoryRepository.at(layout.root()), RestoreJournal.inPlaceFile(data), entry(data));
        j.step("stop server");
        j.movingAside(Map.of(data, DataDirSwap.asideName(data, "restore_1")));
        j.step("extract backup");

        List<RestoreJournal.Found> found = RestoreJournal.unresolved(LocalDirectoryRepository.at(layout.root()), Optional.empty());
        assertThat(found).hasSize(1);
        assertThat(found.get(0).entry().step()).isEqualTo("extract backup");
        assertThat(found.get(0).entry().movedAside()).containsEntry(data.toString(), data + ".pitr-old-restore_1");
        assertThat(found.get(0).entry().owner().alive()).isTrue();
        assertThat(RestoreJournal.unresolved(LocalDirectoryRepository.at(Files.createDirectories(tmp.resolve("other"))), Optional.of(data)))
                .as("found beside the data directory even without the archive's pointer").hasSize(1);

        j.close();
        assertThat(RestoreJournal.unresolved(LocalDirectoryRepository.at(layout.root()), Optional.of(data))).isEmpty();
        assertThat(RestoreJournal.inPlaceFile(data)).doesNotExist();
    }

    @Test
    void aPointerOfADeadProcessWithoutItsJournalIsDroppedAndADamagedJournalIsAnError() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(Files.createDirectories(tmp.resolve("archive")));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path pointers = Files.createDirectories(RestoreJournal.pointersDir(LocalDirectoryRepository.at(layout.root())));
        Files.writeString(pointers.resolve("restore_2.json"), "{\"restoreId\":\"restore_2\",\"mode\":\"in-place\",\"journal\":\""
                + tmp.resolve("gone.pitr-journal.json") + "\",\"owner\":{\"pid\":" + dead.pid() + ",\"host\":null}}");
        assertThat(RestoreJournal.unresolved(LocalDirectoryRepository.at(layout.root()), Optional.empty())).isEmpty();
        assertThat(pointers.resolve("restore_2.json")).doesNotExist();

        Path data = tmp.resolve("data");
        Files.writeString(RestoreJournal.inPlaceFile(data), "{\"restoreId\":");
        assertThatThrownBy(() -> RestoreJournal.unresolved(LocalDirectoryRepository.at(layout.root()), Optional.of(data)))
                .isInstanceOf(PitrException.class).hasMessageContaining("is damaged")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("pitr-old"));
    }

    @Test
    void theTempOfAPointerWhoseWriterWasKilledIsRemovedAndALiveWritersIsKept() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(Files.createDirectories(tmp.resolve("archive")));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path pointers = Files.createDirectories(RestoreJournal.pointersDir(LocalDirectoryRepository.at(layout.root())));
        // what a restore killed between writing its pointer's temp file and renaming it leaves
        Path killed = pointers.resolve(".restore_3.json.123456.tmp");
        Files.writeString(killed, "{\"restoreId\":\"restore_3\",\"mode\":\"in-place\",\"journal\":\""
                + tmp.resolve("d3.pitr-journal.json") + "\",\"owner\":{\"pid\":" + dead.pid() + ",\"host\":null}}");
        Path live = pointers.resolve(".restore_4.json.654321.tmp");
        Files.writeString(live, "{\"restoreId\":\"restore_4\",\"mode\":\"in-place\",\"journal\":\""
                + tmp.resolve("d4.pitr-journal.json") + "\",\"owner\":{\"pid\":" + ProcessHandle.current().pid() + ",\"host\":null}}");
        Path tornNow = Files.writeString(pointers.resolve(".restore_5.json.1.tmp"), "");
        Path tornLongAgo = Files.writeString(pointers.resolve(".restore_6.json.2.tmp"), "{\"restoreId\":");
        Files.setLastModifiedTime(tornLongAgo, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(600)));

        assertThat(RestoreJournal.unresolved(LocalDirectoryRepository.at(layout.root()), Optional.empty())).isEmpty();
        assertThat(killed).as("its writer is dead").doesNotExist();
        assertThat(tornLongAgo).as("torn and old").doesNotExist();
        assertThat(live).as("its writer may rename it any moment").exists();
        assertThat(tornNow).as("a writer may be filling it").exists();
    }
}
