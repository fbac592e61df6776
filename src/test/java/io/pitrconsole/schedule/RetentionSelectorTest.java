package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Lsn;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy on a synthetic catalog of 400 daily backups (2025-10-22 .. 2026-11-25, 02:00 UTC).
 * Expected sets are written out by hand from a calendar, not computed, so the test can disagree
 * with the code.
 */
class RetentionSelectorTest {
    private static final LocalDate LAST = LocalDate.of(2026, 11, 25); // a Wednesday, ISO week 48

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("original defaults 7/4/12", new RetentionPolicy(7, 4, 12), Set.of(), Set.of(),
                        Set.of("2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19",
                                // weekly: W48 -> 11-25, W47 -> Sun 11-22, W46 -> Sun 11-15, W45 -> Sun 11-08
                                "2026-11-15", "2026-11-08",
                                // monthly: last backup of each of the 12 newest months
                                "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31",
                                "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31")),
                Arguments.of("small 3/2/1", new RetentionPolicy(3, 2, 1), Set.of(), Set.of(),
                        Set.of("2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22")),
                Arguments.of("days without a backup do not use up daily slots", new RetentionPolicy(7, 0, 0),
                        Set.of("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"), Set.of(),
                        Set.of("2026-11-25", "2026-11-19", "2026-11-18", "2026-11-17", "2026-11-16", "2026-11-15", "2026-11-14")),
                Arguments.of("a missing month-end falls back to the month's newest backup", new RetentionPolicy(0, 0, 3),
                        Set.of("2026-10-31", "2026-10-30", "2026-09-30"), Set.of(),
                        Set.of("2026-11-25", "2026-10-29", "2026-09-29")),
                Arguments.of("two backups on one day: the later one is that day's", new RetentionPolicy(2, 0, 0), Set.of(),
                        Set.of("2026-11-25"), Set.of("2026-11-25T14", "2026-11-24")),
                Arguments.of("monthly reaches back across the year boundary", new RetentionPolicy(0, 0, 14), Set.of(), Set.of(),
                        Set.of("2026-11-25", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31",
                                "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31", "2025-11-30", "2025-10-31")),
                Arguments.of("nothing to keep by policy", new RetentionPolicy(0, 0, 0), Set.of(), Set.of(), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keptSetMatchesThePolicy(String name, RetentionPolicy policy, Set<String> missingDays, Set<String> secondBackupDays,
                                 Set<String> expected) {
        List<BackupRecord> catalog = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            LocalDate d = LAST.minusDays(i);
            if (!missingDays.contains(d.toString())) {
                catalog.add(backup(d, 2, d.toString()));
            }
            if (secondBackupDays.contains(d.toString())) {
                catalog.add(backup(d, 14, d + "T14"));
            }
        }
        assertThat(catalog.get(catalog.size() - 1).label()).isEqualTo("2025-10-22");

        var kept = new RetentionSelector(policy, ZoneOffset.UTC).keep(catalog);

        List<String> keptLabels = catalog.stream().filter(b -> kept.containsKey(b.id())).map(BackupRecord::label).toList();
        assertThat(keptLabels).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static BackupRecord backup(LocalDate day, int hour, String label) {
        var start = day.atTime(LocalTime.of(hour, 0)).toInstant(ZoneOffset.UTC);
        String id = "backup_" + day.toString().replace("-", "") + "_" + String.format("%02d0000", hour);
        return new BackupRecord(1, id, label, BackupStatus.COMPLETE, start, start.plusSeconds(60), "backup-history-file",
                new Lsn(0x1000000L), new Lsn(0x1000100L), new Lsn(0x1000028L), 1, "15.8", "1", 16L * 1024 * 1024,
                Compression.ZSTD, 1000, 3000, "localhost", 5432, List.of(), List.of(), 60.0, null, null, null);
    }
}
