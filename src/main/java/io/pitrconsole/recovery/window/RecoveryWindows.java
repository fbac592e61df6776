package io.pitrconsole.recovery.window;

import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.target.UnrestorableBackup;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalGap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Every moment the archive can restore the cluster to: per usable backup and timeline, from the
 * backup's stop to the last transaction reachable through unbroken WAL, and merged per timeline.
 * Edges are transaction times read from the WAL, never file times. Windows on a timeline abandoned
 * by a rollback are kept (to show them and for an explicit --timeline) but are never the default choice.
 */
public final class RecoveryWindows {
    private static final Comparator<RecoveryWindow> NEWEST_BACKUP = Comparator.comparing(RecoveryWindow::from)
            .thenComparing(RecoveryWindow::backupId).thenComparingInt(RecoveryWindow::timeline);

    private final List<RecoveryWindow> windows;
    private final List<RecoveryWindow> merged;
    private final List<UnrestorableBackup> unrestorable;
    private final WalArchiveIndex index;
    private final AbandonedTimelines abandoned;

    private RecoveryWindows(List<RecoveryWindow> windows, List<UnrestorableBackup> unrestorable, WalArchiveIndex index,
                            AbandonedTimelines abandoned) {
        this.windows = windows.stream().sorted(NEWEST_BACKUP).toList();
        this.merged = merge(this.windows);
        this.unrestorable = List.copyOf(unrestorable);
        this.index = index;
        this.abandoned = abandoned;
    }

    /** Computes the windows of every complete or verified backup over the archive's WAL (no timeline abandoned). */
    public static RecoveryWindows compute(List<BackupRecord> backups, WalArchiveIndex index) {
        return compute(backups, index, AbandonedTimelines.none());
    }

    /** Computes the windows of every complete or verified backup, knowing which timelines were abandoned. */
    public static RecoveryWindows compute(List<BackupRecord> backups, WalArchiveIndex index, AbandonedTimelines abandoned) {
        List<RecoveryWindow> windows = new ArrayList<>();
        List<UnrestorableBackup> unrestorable = new ArrayList<>();
        for (BackupRecord b : backups) {
            if (b.status() == BackupStatus.INCREMENTAL) {
                unrestorable.add(new UnrestorableBackup(b.id(), IncrementalBackup.UNRESTORABLE));
                continue;
            }
            if (b.status() == null || !b.status().usable()) {
                continue;
            }
            if (b.startLsn() == null || b.stopLsn() == null || b.stopTime() == null) {
                unrestorable.add(new UnrestorableBackup(b.id(), "its record lacks the start/stop location or stop time"));
                continue;
            }
            if (b.walSegmentSize() != null && b.walSegmentSize() != index.segmentSize() && !index.segments().isEmpty()) {
                unrestorable.add(new UnrestorableBackup(b.id(), "it was taken with " + b.walSegmentSize()
                        + "-byte WAL segments but the archive holds " + index.segmentSize() + "-byte ones"));
                continue;
            }
            boolean any = false;
            for (WalChain.End end : WalChain.follow(b, index)) {
                if (!end.reachedStop()) {
                    continue;
                }
                any = true;
                Instant from = earliestTarget(b.stopTime());
                Instant to = end.lastXact().filter(t -> t.isAfter(from)).orElse(from);
                windows.add(new RecoveryWindow(b.id(), end.timeline(), from, to, b.stopLsn(), end.endLsn(), end.gap()));
            }
            if (!any) {
                Optional<SegmentInfo> foreign = index.segment(new WalSegmentName(b.timeline() == null ? 1 : b.timeline(),
                        b.startLsn().segmentNumber(index.segmentSize()), index.segmentSize())).filter(s -> s.fromAnotherSystemThan(b.systemIdentifier()));
                unrestorable.add(new UnrestorableBackup(b.id(), foreign.map(s -> "the archived WAL it needs (" + s.name() + ") is from database system "
                        + Long.toUnsignedString(s.systemIdentifier()) + ", not the backup's " + b.systemIdentifier())
                        .orElse("the archive lacks WAL between its start " + b.startLsn() + " and its stop " + b.stopLsn())));
            }
        }
        return new RecoveryWindows(windows, unrestorable, index, abandoned);
    }

    /**
     * The earliest time target that cannot stop recovery before the backup is consistent. The
     * .backup file gives the stop time in whole seconds, truncated, while transactions before the
     * stop location may carry times up to a second later; a time target earlier than one of them
     * stops recovery there, and PostgreSQL refuses that ("requested recovery stop point is before
     * consistent recovery point"). A stop time with a fraction is taken as exact.
     */
    public static Instant earliestTarget(Instant stopTime) {
        return stopTime.getNano() == 0 ? stopTime.plusSeconds(1) : stopTime;
    }

    /** One window per backup and reachable timeline, oldest backup first. */
    public List<RecoveryWindow> windows() {
        return windows;
    }

    /**
     * Overlapping windows of one timeline joined into the cluster's restorable ranges, by
     * timeline then time; each names the newest backup that contributes to it.
     */
    public List<RecoveryWindow> merged() {
        return merged;
    }

    /** Merged ranges on timelines that were not abandoned: what a restore without --timeline can reach. */
    public List<RecoveryWindow> liveMerged() {
        return merged.stream().filter(w -> !isAbandoned(w.timeline())).toList();
    }

    /** True when a rollback abandoned this timeline. */
    public boolean isAbandoned(int timeline) {
        return abandoned.isAbandoned(timeline);
    }

    /** The archive's abandoned timelines. */
    public AbandonedTimelines abandoned() {
        return abandoned;
    }

    /**
     * The window of the newest backup that holds t, edges included: on the given timeline, else on
     * the live timelines preferring the highest (an abandoned timeline is only used when named). A
     * window holds its last transaction, but a time target there is not reached: whether a restore
     * can stop at t is {@link #reaching}.
     */
    public Optional<RecoveryWindow> covering(Instant t, OptionalInt timeline) {
        return windows.stream()
                .filter(w -> timeline.isPresent() ? w.timeline() == timeline.getAsInt() : !isAbandoned(w.timeline()))
                .filter(w -> w.covers(t))
                .max(Comparator.comparing(RecoveryWindow::from).thenComparingInt(RecoveryWindow::timeline));
    }

    /**
     * The window of the newest backup whose restore to the time t stops inside it ({@link RecoveryWindow#reaches}):
     * on the given timeline, else on the live timelines preferring the highest.
     */
    public Optional<RecoveryWindow> reaching(Instant t, OptionalInt timeline) {
        return windows.stream()
                .filter(w -> timeline.isPresent() ? w.timeline() == timeline.getAsInt() : !isAbandoned(w.timeline()))
                .filter(w -> w.reaches(t))
                .max(Comparator.comparing(RecoveryWindow::from).thenComparingInt(RecoveryWindow::timeline));
    }

    /**
     * Restorable moments closest to t on live timelines: just t when some window reaches it, else the
     * last reachable moment of the nearest window before t and the start of the nearest one after it
     * (either may be absent).
     */
    public List<Instant> nearestRestorable(Instant t) {
        List<RecoveryWindow> live = liveMerged();
        if (live.stream().anyMatch(w -> w.reaches(t))) {
            return List.of(t);
        }
        List<Instant> result = new ArrayList<>();
        live.stream().filter(w -> !w.to().isAfter(t)).map(RecoveryWindow::lastReachable)
                .filter(e -> live.stream().anyMatch(w -> w.reaches(e))).max(Comparator.naturalOrder()).ifPresent(result::add);
        live.stream().map(RecoveryWindow::from).filter(e -> e.isAfter(t)).min(Comparator.naturalOrder()).ifPresent(result::add);
        return List.copyOf(result);
    }

    /** Complete backups that cannot be restored at all with the archived WAL. */
    public List<UnrestorableBackup> unrestorable() {
        return unrestorable;
    }

    /** Missing segments in the archive, per timeline. */
    public List<WalGap> gaps() {
        return index.gaps();
    }

    /** The WAL index the windows were computed from. */
    public WalArchiveIndex index() {
        return index;
    }

    private static List<RecoveryWindow> merge(List<RecoveryWindow> windows) {
        Map<Integer, List<RecoveryWindow>> byTimeline = new TreeMap<>();
        windows.forEach(w -> byTimeline.computeIfAbsent(w.timeline(), k -> new ArrayList<>()).add(w));
        List<RecoveryWindow> result = new ArrayList<>();
        for (List<RecoveryWindow> ws : byTimeline.values()) {
            ws.sort(Comparator.comparing(RecoveryWindow::from));
            RecoveryWindow cur = null;
            for (RecoveryWindow w : ws) {
                if (cur != null && !w.from().isAfter(cur.to())) {
                    cur = join(cur, w);
                } else {
                    if (cur != null) {
                        result.add(cur);
                    }
                    cur = w;
                }
            }
            if (cur != null) {
                result.add(cur);
            }
        }
        return List.copyOf(result);
    }

    /**
     * The backups whose windows make up a merged range, oldest first: the merged window itself
     * carries only the newest one, which is what a restore inside it uses, while the range starts at
     * the oldest one's stop.
     */
    public List<String> backupsOf(RecoveryWindow mergedRange) {
        return windows.stream().filter(w -> w.timeline() == mergedRange.timeline() && !w.from().isBefore(mergedRange.from())
                        && !w.from().isAfter(mergedRange.to()))
                .sorted(Comparator.comparing(RecoveryWindow::from)).map(RecoveryWindow::backupId).distinct().toList();
    }

    /** "backup_A" or "backups backup_A..backup_B" for a merged range. */
    public String label(RecoveryWindow mergedRange) {
        List<String> ids = backupsOf(mergedRange);
        return ids.size() <= 1 ? mergedRange.backupId() : "backups " + ids.get(0) + ".." + ids.get(ids.size() - 1);
    }

    /** b starts no earlier than a and inside it. */
    private static RecoveryWindow join(RecoveryWindow a, RecoveryWindow b) {
        RecoveryWindow end = b.to().isAfter(a.to()) || (b.to().equals(a.to()) && b.toLsn().compareTo(a.toLsn()) > 0) ? b : a;
        String newest = NEWEST_BACKUP.compare(a, b) >= 0 ? a.backupId() : b.backupId();
        Lsn fromLsn = a.fromLsn();
        return new RecoveryWindow(newest, a.timeline(), a.from(), end.to(), fromLsn, end.toLsn(), end.endedByGap());
    }
}
