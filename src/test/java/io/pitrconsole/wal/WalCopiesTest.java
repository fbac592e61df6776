package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.repository.WalStore;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copies a restore's planning keeps of the WAL it fetches: only the newest files within the
 * budget, each handed over once, nothing left after close, and what a killed process left behind
 * removed by the next one.
 */
class WalCopiesTest {
    private static final long SEGMENT = WalCopies.BUDGET / 2;

    @TempDir
    Path tmp;

    private WalStore archiveOf(List<String> names) throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.walArchive());
        for (String n : names) {
            Files.writeString(layout.walArchive().resolve(n), "wal " + n);
        }
        return LocalDirectoryRepository.at(layout.root()).wal();
    }

    @Test
    void onlyTheNewestWithinTheBudgetAreCopiedEachHandedOverOnceAndCloseLeavesNothing() throws Exception {
        List<String> names = List.of("000000010000000000000001", "000000010000000000000002", "000000010000000000000003");
        WalStore wal = archiveOf(names);
        Path cache = tmp.resolve("cache");
        Path made;
        try (WalCopies copies = WalCopies.under(cache)) {
            copies.choose(names, SEGMENT);

            assertThat(copies.copy(wal, names.get(0))).as("older than the budget reaches").isEmpty();
            made = copies.copy(wal, names.get(2)).orElseThrow();
            assertThat(Files.readString(made)).isEqualTo("wal " + names.get(2));
            assertThat(copies.made(names.get(2))).contains(made);
            assertThat(Files.getPosixFilePermissions(made.getParent())).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");

            assertThat(copies.take(names.get(2))).contains(made);
            assertThat(copies.take(names.get(2))).as("handed over once").isEmpty();
            assertThat(copies.copy(wal, names.get(1))).isPresent();
        }
        assertThat(made.getParent()).as("close removes the folder with the copies not taken").doesNotExist();
        try (var left = Files.list(cache)) {
            assertThat(left).isEmpty();
        }
    }

    /** Planning that falls back from the newest backup's WAL to the oldest one's chooses twice: one budget for both. */
    @Test
    void aSecondChoiceGetsOnlyWhatTheFirstLeftOfTheBudget() throws Exception {
        List<String> newer = List.of("000000010000000000000003", "000000010000000000000004");
        List<String> older = List.of("000000010000000000000001", "000000010000000000000002");
        WalStore wal = archiveOf(List.of(older.get(0), older.get(1), newer.get(0), newer.get(1)));
        try (WalCopies copies = WalCopies.under(tmp.resolve("cache"))) {
            copies.choose(newer, SEGMENT);
            copies.choose(older, SEGMENT);

            assertThat(copies.copy(wal, older.get(1))).as("the budget went to the first choice").isEmpty();
            assertThat(copies.copy(wal, newer.get(0))).isPresent();
            assertThat(copies.copy(wal, newer.get(1))).isPresent();
        }
    }

    @Test
    void copiesAKilledProcessLeftBehindAreRemovedByTheNext() throws Exception {
        WalStore wal = archiveOf(List.of("000000010000000000000001"));
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        // no process has this id (Linux ids stop at 2^22)
        Path left = Files.createDirectories(cache.resolve(".wal-copies-999999999-12345"));
        Files.writeString(left.resolve("000000010000000000000001"), "a killed restore's copy");
        Path unrelated = Files.createDirectories(cache.resolve("wal-index-keep"));

        try (WalCopies copies = WalCopies.under(cache)) {
            copies.choose(List.of("000000010000000000000001"), SEGMENT);
            Optional<Path> made = copies.copy(wal, "000000010000000000000001");
            assertThat(made).isPresent();
        }
        assertThat(left).doesNotExist();
        assertThat(unrelated).exists();
    }
}
