package io.pitrconsole.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's record of timelines thrown away by 'restore rollback'. */
class AbandonedTimelinesTest {
    @TempDir
    Path root;

    private ArchiveLayout layout() {
        return new ArchiveLayout(root);
    }

    private static AbandonedTimeline entry(int tli, String restore) {
        return new AbandonedTimeline(tli, tli - 1, "0/5000A0", 1, Instant.parse("2026-11-29T16:40:01.123456Z"), restore,
                "backup_20261129_160000", "time 2026-11-29 16:30:00+00:00 (inclusive) on timeline 1", "/var/lib/postgresql/15/main");
    }

    @Test
    void anArchiveWithoutTheFileHasNoAbandonedTimeline() {
        AbandonedTimelines a = AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root()));

        assertThat(a.isEmpty()).isTrue();
        assertThat(a.isAbandoned(2)).isFalse();
    }

    @Test
    void recordedEntriesAreReadBackWithEveryFieldAndLaterOnesAreAdded() throws IOException {
        AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(2, "restore_20261129_163000_111")));
        AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(4, "restore_20261129_170000_222")));

        AbandonedTimelines a = AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root()));

        assertThat(a.timelines()).containsExactly(2, 4);
        assertThat(a.get(2)).contains(entry(2, "restore_20261129_163000_111"));
        assertThat(a.isAbandoned(3)).isFalse();
        assertThat(a.get(4).orElseThrow().describe()).contains("timeline 4").contains("restore_20261129_170000_222")
                .contains("went on on timeline 1");
        try (Stream<Path> files = Files.list(layout().stateDir())) {
            // no temporary file left behind; the empty lock file of the read-modify-write stays
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("abandoned-timelines.json", "abandoned-timelines.lock");
        }
    }

    @Test
    void rollbacksRecordingAtOnceLoseNoEntry() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int tli = 2; tli < 42; tli++) {
                int t = tli;
                done.add(pool.submit(() -> AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(t, "restore_" + t)))));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root())).list()).hasSize(40);
    }

    @Test
    void forgettingARollbackThatDidNotGoThroughDropsOnlyItsEntries() {
        AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(2, "restore_a")));
        AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(4, "restore_b"), entry(5, "restore_b")));

        AbandonedTimelines.forget(LocalDirectoryRepository.at(layout().root()), "restore_b");

        assertThat(AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root())).timelines()).containsExactly(2);
    }

    @Test
    void aTornFileIsAnErrorWithAHintNotAnEmptyList() throws IOException {
        AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(2, "restore_20261129_163000_111")));
        Path file = layout().abandonedTimelinesFile();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root()))).isInstanceOf(PitrException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("damaged")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("restore rollback").contains("moving it away"));
    }

    @Test
    void anUnreadableFileIsAnErrorWithAHint() throws IOException {
        Files.createDirectories(layout().abandonedTimelinesFile());

        assertThatThrownBy(() -> AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root()))).isInstanceOf(PitrException.class)
                .hasMessageStartingWith("cannot read " + layout().abandonedTimelinesFile())
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("restore rollback"));
    }

    @Test
    void recordingOverAnUnreadableFileFailsAndLeavesItAsItWas() throws IOException {
        Files.createDirectories(layout().stateDir());
        Files.writeString(layout().abandonedTimelinesFile(), "{\"version\":1,\"timelines\":[{\"timeline\":");

        assertThatThrownBy(() -> AbandonedTimelines.record(LocalDirectoryRepository.at(layout().root()), List.of(entry(2, "restore_x")))).isInstanceOf(PitrException.class);
        assertThat(Files.readString(layout().abandonedTimelinesFile())).isEqualTo("{\"version\":1,\"timelines\":[{\"timeline\":");
    }

    @Test
    void validJsonThatIsNotTheRecordIsRefused() throws IOException {
        Files.createDirectories(layout().stateDir());
        Path file = layout().abandonedTimelinesFile();
        for (String text : List.of("{}", "[]", "null", "{\"version\":1,\"timelines\":[{\"timeline\":1}]}",
                "{\"version\":1,\"timelines\":[null]}", "{\"version\":1}")) {
            Files.writeString(file, text);
            assertThatThrownBy(() -> AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root()))).as(text).isInstanceOf(PitrException.class)
                    .hasMessageContaining(file.toString());
        }
    }

    @Test
    void aFileFromANewerFormatIsRefusedRatherThanMisread() throws IOException {
        Files.createDirectories(layout().stateDir());
        Files.writeString(layout().abandonedTimelinesFile(), "{\"version\":2,\"timelines\":[]}");

        assertThatThrownBy(() -> AbandonedTimelines.load(LocalDirectoryRepository.at(layout().root()))).isInstanceOf(PitrException.class)
                .hasMessageContaining("newer version");
    }
}
