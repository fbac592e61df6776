package io.pitrconsole.schedule;

import io.pitrconsole.archive.BackupRecord;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Grandfather-father-son selection: the newest backup of each of the last N days, ISO weeks and
 * months that have a backup at all. A day without a backup does not use up a slot, so a paused
 * schedule does not make the policy throw away older backups it would otherwise keep.
 */
public final class RetentionSelector {
    private final RetentionPolicy policy;
    private final ZoneId zone;

    public RetentionSelector(RetentionPolicy policy, ZoneId zone) {
        this.policy = policy;
        this.zone = zone;
    }

    /** The backups the policy keeps, each with why (e.g. "daily 2026-11-25", "weekly 2026-W48"), newest first. */
    public Map<String, List<String>> keep(List<BackupRecord> usable) {
        List<BackupRecord> newestFirst = usable.stream()
                .sorted(Comparator.comparing(BackupRecord::startTime).thenComparing(BackupRecord::id).reversed()).toList();
        Map<String, List<String>> kept = new LinkedHashMap<>();
        newestFirst.forEach(b -> kept.put(b.id(), new ArrayList<>()));
        pick(newestFirst, policy.daily(), "daily", this::day, kept);
        pick(newestFirst, policy.weekly(), "weekly", b -> {
            LocalDate d = day(b);
            return String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }, kept);
        pick(newestFirst, policy.monthly(), "monthly", b -> YearMonth.from(day(b)), kept);
        kept.values().removeIf(List::isEmpty);
        return kept;
    }

    private LocalDate day(BackupRecord b) {
        return b.startTime().atZone(zone).toLocalDate();
    }

    private static void pick(List<BackupRecord> newestFirst, int slots, String kind, Function<BackupRecord, Object> bucket,
                             Map<String, List<String>> kept) {
        Object last = null;
        int taken = 0;
        for (BackupRecord b : newestFirst) {
            if (taken >= slots) {
                return;
            }
            Object k = bucket.apply(b);
            if (!k.equals(last)) {
                kept.get(b.id()).add(kind + " " + k);
                last = k;
                taken++;
            }
        }
    }
}
