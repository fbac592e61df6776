package io.pitrconsole.recovery.target;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.XidLookup;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalGap;
import io.pitrconsole.wal.XactEnd;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Checks a target against the recovery windows computed from the indexed WAL archive: the target
 * must lie inside a window (a time strictly before its last transaction, since recovery only knows
 * it passed a time when it sees a later commit), and every WAL file up to it must be there and valid.
 */
public final class WindowTargetValidator extends TargetValidator {
    private final RecoveryWindows windows;
    private final WalArchiveIndex index;

    private final ProgressListener progress;
    private final Cancellation cancel;

    public WindowTargetValidator(Repository repository, RecoveryWindows windows) {
        this(repository, windows, ProgressListener.NONE, Cancellation.none());
    }

    /** progress and cancel serve the one slow check: reading WAL to find a transaction id target. */
    public WindowTargetValidator(Repository repository, RecoveryWindows windows, ProgressListener progress, Cancellation cancel) {
        super(repository);
        this.windows = windows;
        this.index = windows.index();
        this.progress = progress;
        this.cancel = cancel;
    }

    @Override
    public Choice choose(RecoveryTarget target, List<BackupRecord> usable) {
        return decide(target, usable, Optional.empty());
    }

    @Override
    public Choice checkWithBackup(RecoveryTarget target, BackupRecord backup, List<BackupRecord> usable) {
        if (backup.status() == BackupStatus.INCREMENTAL) {
            throw IncrementalBackup.refusal(backup);
        }
        if (!backup.status().usable()) {
            throw new PitrException("backup " + backup.id() + " is " + backup.status() + " and cannot be restored",
                    Hint.of("choose a complete or verified backup ('backup list' shows them)",
                            "choose a complete or verified backup on the Plan step (the Backups page shows each one's status)"));
        }
        return decide(target, usable, Optional.of(backup.id()));
    }

    private Choice decide(RecoveryTarget target, List<BackupRecord> usable, Optional<String> backupId) {
        boolean named = target.timeline() != null;
        List<RecoveryWindow> all = windows.windows().stream()
                .filter(w -> backupId.map(w.backupId()::equals).orElse(true))
                .filter(w -> !named || w.timeline() == target.timeline())
                .toList();
        // A timeline thrown away by a rollback is followed only when asked for by number.
        List<RecoveryWindow> candidates = named ? all : all.stream().filter(w -> !windows.isAbandoned(w.timeline())).toList();
        List<Integer> skipped = all.stream().map(RecoveryWindow::timeline).filter(windows::isAbandoned).distinct().sorted().toList();
        if (candidates.isEmpty() && !skipped.isEmpty()) {
            throw new PitrException("no backup" + backupId.map(id -> " " + id).orElse("") + " can be recovered along a live timeline: "
                    + "its WAL only reaches " + abandonedNames(skipped),
                    Hint.of("pass --timeline " + skipped.get(0) + " to restore along it anyway (the plan warns), or take a new backup of the cluster",
                            "type " + skipped.get(0) + " as the Timeline on the Target step to restore along it anyway (the plan warns),"
                                    + " or take a new backup of the cluster"));
        }
        if (candidates.isEmpty()) {
            String why = windows.unrestorable().stream().filter(u -> backupId.map(u.backupId()::equals).orElse(true))
                    .map(u -> u.backupId() + ": " + u.reason()).collect(Collectors.joining("; "));
            throw new PitrException("no backup" + backupId.map(id -> " " + id).orElse("")
                    + " can be recovered" + (target.timeline() == null ? "" : " along timeline " + target.timeline())
                    + " with the archived WAL" + (why.isEmpty() ? "" : " (" + why + ")"),
                    Hint.of("run 'windows' to see what the archive can restore; check that WAL archiving works",
                            "the Recovery Timeline shows what the archive can restore; check WAL archiving on the WAL Archiving page"));
        }
        List<Hint> notes = new ArrayList<>();
        List<Hint> warnings = new ArrayList<>();
        if (named && windows.isAbandoned(target.timeline())) {
            warnings.add(Hint.same(windows.abandoned().get(target.timeline()).orElseThrow().describe()
                    + "; this restore follows it because it was asked for by number, not the history the cluster went on with"));
        } else if (!skipped.isEmpty()) {
            String notFollowing = "not following " + abandonedNames(skipped);
            notes.add(Hint.of(notFollowing + " (pass --timeline to follow one)",
                    notFollowing + " (type its number as the Timeline on the Target step to follow one)"));
        }
        if (target.kind() == RecoveryTarget.Kind.XID) {
            return xidChoice(target, usable, candidates, notes, warnings);
        }
        RecoveryWindow w;
        Lsn until;
        Lsn walEnd;
        switch (target.kind()) {
            case TIME -> {
                Instant t = target.time().toInstant();
                w = candidates.stream().filter(c -> c.reaches(t))
                        .max(Comparator.comparing(RecoveryWindow::from).thenComparingInt(RecoveryWindow::timeline))
                        .orElseThrow(() -> onlyAbandonedReach(refuseTime(target, t, candidates), all, t));
                until = firstXactAfter(w, t).orElse(w.toLsn());
                walEnd = until;
                long others = candidates.stream().filter(c -> c.reaches(t) && c.timeline() != w.timeline())
                        .map(RecoveryWindow::timeline).distinct().count();
                if (others > 0 && target.timeline() == null) {
                    String chose = "the time also lies on other timelines; chose timeline " + w.timeline();
                    notes.add(Hint.of(chose + " (pass --timeline to pick another)",
                            chose + " (type another as the Timeline on the Target step to pick it)"));
                }
            }
            case LSN, NAME -> {
                Lsn lsn;
                OptionalInt tli = target.timeline() == null ? OptionalInt.empty() : OptionalInt.of(target.timeline());
                if (target.kind() == RecoveryTarget.Kind.NAME) {
                    RestorePoint rp = restorePoint(target, tli, named);
                    lsn = rp.lsn();
                    tli = OptionalInt.of(rp.timeline());
                    notes.add(Hint.same("restore point '" + rp.name() + "' was made at " + shown(rp.time()) + " (LSN " + rp.lsn() + ")"));
                } else {
                    lsn = Lsn.parse(target.value());
                }
                OptionalInt onTli = tli;
                w = candidates.stream()
                        .filter(c -> onTli.isEmpty() ? liesOn(lsn, c.timeline()) : c.timeline() == onTli.getAsInt())
                        .filter(c -> c.fromLsn().compareTo(lsn) <= 0 && lsn.compareTo(c.toLsn()) < 0)
                        .max(Comparator.comparing(RecoveryWindow::from).thenComparingInt(RecoveryWindow::timeline))
                        .orElseThrow(() -> refuseLsn(target, lsn, candidates));
                until = lsn;
                // the record at the target location is read too
                walEnd = new Lsn(lsn.value() + 1);
            }
            default -> {
                // immediate, latest: the window reaching furthest; its newest backup
                w = candidates.stream().max(Comparator.comparing(RecoveryWindow::to).thenComparing(RecoveryWindow::from)
                        .thenComparingInt(RecoveryWindow::timeline)).orElseThrow();
                until = target.kind() == RecoveryTarget.Kind.IMMEDIATE ? w.fromLsn() : w.toLsn();
                walEnd = until;
            }
        }
        return choice(usable, w, until, walEnd, List.of(), notes, warnings);
    }

    private Choice choice(List<BackupRecord> usable, RecoveryWindow w, Lsn until, Lsn walEnd, List<String> extraChecks, List<Hint> notes,
                          List<Hint> warnings) {
        BackupRecord backup = usable.stream().filter(b -> b.id().equals(w.backupId())).findFirst().orElseThrow();
        List<SegmentInfo> segments = walSegments(backup, w.timeline(), until.compareTo(w.fromLsn()) < 0 ? w.fromLsn() : until);
        List<Path> wal = segments.stream().map(SegmentInfo::file).toList();
        List<String> checks = new ArrayList<>();
        checks.add("backup " + backup.id() + " can be recovered along timeline " + w.timeline() + " from " + shown(w.from())
                + " to " + shown(w.to()) + " (LSN " + w.fromLsn() + " .. " + w.toLsn() + ")");
        checks.addAll(extraChecks);
        return new Choice(backup, w.timeline(), wal, segments.stream().mapToLong(SegmentInfo::fileSize).sum(), checks, notes, warnings, walEnd);
    }

    /**
     * An xid target: the window (newest backup first) whose WAL, read from the backup's start,
     * first ends that transaction after the backup is consistent. Recovery stops at the first
     * record ending it; one ending before the backup's stop makes PostgreSQL refuse to start
     * ("requested recovery stop point is before consistent recovery point").
     */
    private Choice xidChoice(RecoveryTarget target, List<BackupRecord> usable, List<RecoveryWindow> candidates, List<Hint> earlierNotes,
                             List<Hint> warnings) {
        long value = Long.parseUnsignedLong(target.value());
        XidLookup lookup = new XidLookup(index.wal(), value, progress, cancel);
        List<XidLookup.Outcome> seen = new ArrayList<>();
        Optional<String> tooEarly = Optional.empty();
        // per timeline, the newest backup whose replay meets the transaction; xids after a branch are used
        // again on each timeline, so the same id may name different transactions on different timelines
        List<Map.Entry<RecoveryWindow, XactEnd>> hits = new ArrayList<>();
        for (int tli : candidates.stream().map(RecoveryWindow::timeline).distinct().sorted().toList()) {
            List<RecoveryWindow> newestFirst = candidates.stream().filter(c -> c.timeline() == tli)
                    .sorted(Comparator.comparing(RecoveryWindow::from).reversed()).toList();
            for (RecoveryWindow w : newestFirst) {
                BackupRecord b = usable.stream().filter(u -> u.id().equals(w.backupId())).findFirst().orElse(null);
                if (b == null || b.startLsn() == null) {
                    continue;
                }
                XidLookup.Outcome o = lookup.walk(b.startLsn().segmentNumber(index.segmentSize()), b.startLsn(), w.fromLsn(), w.toLsn(),
                        index.segmentSize(), n -> segmentFor(w.timeline(), n));
                seen.add(o);
                if (o.found().isEmpty()) {
                    continue;
                }
                XactEnd x = o.found().get();
                if (x.lsn().compareTo(w.fromLsn()) < 0) {
                    tooEarly = Optional.of("it ended at " + shown(x.time()) + " (LSN " + x.lsn() + "), while backup " + b.id()
                            + " was being taken, before the backup is consistent");
                    continue;
                }
                hits.add(Map.entry(w, x));
                break;
            }
        }
        // a transaction ending before a timeline's branch is its parent's: plan it there, as for an LSN
        List<Map.Entry<RecoveryWindow, XactEnd>> own = hits.stream().filter(h -> liesOn(h.getValue().lsn(), h.getKey().timeline())).toList();
        List<Map.Entry<RecoveryWindow, XactEnd>> pick = own.isEmpty() ? hits : own;
        if (pick.isEmpty()) {
            throw refuseXid(target, lookup, seen, tooEarly);
        }
        Map.Entry<RecoveryWindow, XactEnd> hit = pick.stream()
                .max(Comparator.comparing((Map.Entry<RecoveryWindow, XactEnd> h) -> h.getKey().from())
                        .thenComparingInt(h -> h.getKey().timeline())).orElseThrow();
        RecoveryWindow w = hit.getKey();
        XactEnd x = hit.getValue();
        List<Hint> notes = new ArrayList<>(earlierNotes);
        boolean committed = x.kind().commits();
        notes.add(Hint.same("transaction " + lookup.xid32() + (committed ? " committed" : " aborted") + " at " + exact(x.time())
                + " (LSN " + x.lsn() + ", " + x.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " record)"));
        List<Hint> allWarnings = new ArrayList<>(warnings);
        if (!committed) {
            allWarnings.add(Hint.same("transaction " + lookup.xid32() + " ABORTED: recovery stops at its abort record, but none of its"
                    + " changes are visible in the restored cluster"));
        } else if (!target.inclusive()) {
            notes.add(Hint.same("exclusive: recovery stops just before its commit, so its changes are not visible"));
        }
        List<Integer> others = pick.stream().map(h -> h.getKey().timeline()).filter(t -> t != w.timeline()).distinct().toList();
        if (!others.isEmpty() && target.timeline() == null) {
            String chose = "transaction id " + lookup.xid32() + " also ends on timeline(s) " + others + " (ids are used again after a"
                    + " timeline branches); chose timeline " + w.timeline();
            notes.add(Hint.of(chose + " (pass --timeline to pick another)",
                    chose + " (type another as the Timeline on the Target step to pick it)"));
        }
        if (value != lookup.xid32()) {
            notes.add(Hint.same("PostgreSQL compares only the low 32 bits of recovery_target_xid: " + value + " (epoch " + (value >>> 32)
                    + ") stops at the first record of xid " + lookup.xid32() + " after the backup's start"));
        }
        String check = "transaction " + lookup.xid32() + " ends in the archived WAL at LSN " + x.lsn() + " (" + lookup.reads()
                + " WAL file(s) read to find it)";
        // recovery reads the commit record itself, and stops after (inclusive) or before (exclusive) it
        return choice(usable, w, x.lsn(), new Lsn(x.lsn().value() + 1), List.of(check), notes, allWarnings);
    }

    private PitrException refuseXid(RecoveryTarget target, XidLookup lookup, List<XidLookup.Outcome> seen, Optional<String> tooEarly) {
        Optional<XactEnd> first = seen.stream().flatMap(o -> o.first().stream()).min(Comparator.comparing(XactEnd::time));
        Optional<XactEnd> last = seen.stream().flatMap(o -> o.last().stream()).max(Comparator.comparing(XactEnd::time));
        List<String> nearest = new ArrayList<>();
        int xid = (int) lookup.xid32();
        seen.stream().flatMap(o -> o.below().stream()).max(Comparator.comparingInt(x -> XidLookup.distance(x.xid(), xid)))
                .ifPresent(x -> nearest.addAll(XidLookup.describe(Optional.of(x))));
        seen.stream().flatMap(o -> o.above().stream()).min(Comparator.comparingInt(x -> XidLookup.distance(x.xid(), xid)))
                .ifPresent(x -> nearest.addAll(XidLookup.describe(Optional.of(x))));
        String range = first.isEmpty() ? "the restorable WAL holds no transaction ends"
                : "transactions in the restorable WAL end from " + String.join("", XidLookup.describe(first)) + " to "
                        + String.join("", XidLookup.describe(last));
        String message = tooEarly.map(why -> "the target " + target.describe() + " cannot be reached: " + why)
                .orElse("transaction " + lookup.xid32() + " does not end (commit or abort) in the restorable WAL"
                        + (target.timeline() == null ? "" : " of timeline " + target.timeline()));
        String known = range + (nearest.isEmpty() ? "" : "; nearest ids: " + String.join(" and ", nearest));
        String unseen = "; an id from txid_current() names a transaction only once it has committed, and only WAL archived so far is searched";
        return new PitrException(message, tooEarly.isPresent()
                ? Hint.of(known + "; restore from an older backup with --backup", known + "; choose an older backup on the Plan step")
                : Hint.same(known + unseen));
    }

    /** A refused time that an abandoned timeline would reach says so: the user may have meant it. */
    private TargetRefusedException onlyAbandonedReach(TargetRefusedException e, List<RecoveryWindow> all, Instant t) {
        List<Integer> reach = all.stream().filter(c -> windows.isAbandoned(c.timeline()) && c.reaches(t))
                .map(RecoveryWindow::timeline).distinct().sorted().toList();
        if (reach.isEmpty()) {
            return e;
        }
        String reaches = "; " + abandonedNames(reach) + " reaches it: ";
        return new TargetRefusedException(e.getMessage(), Hint.of(e.hint() + reaches + "pass --timeline " + reach.get(0) + " to restore along it anyway",
                e.consoleHint() + reaches + "type " + reach.get(0) + " as the Timeline on the Target step to restore along it anyway"),
                e.suggestions());
    }

    private String abandonedNames(List<Integer> tlis) {
        return tlis.stream().map(t -> "timeline " + t + windows.abandoned().get(t).map(a -> " (abandoned by rolling back " + a.restoreId() + ")")
                .orElse("")).collect(Collectors.joining(", "));
    }

    private RestorePoint restorePoint(RecoveryTarget target, OptionalInt tli, boolean timelineNamed) {
        List<RestorePoint> withName = index.restorePoints().stream().filter(r -> r.name().equals(target.value()))
                .filter(r -> tli.isEmpty() || r.timeline() == tli.getAsInt() || liesOnPath(r, tli.getAsInt())).toList();
        List<RestorePoint> named = timelineNamed ? withName : withName.stream().filter(r -> !windows.isAbandoned(r.timeline())).toList();
        if (named.isEmpty() && !withName.isEmpty()) {
            int t = withName.get(0).timeline();
            throw new PitrException("restore point '" + target.value() + "' lies only on " + abandonedNames(List.of(t)),
                    Hint.of("pass --timeline " + t + " to restore along it anyway (the plan warns)",
                            "type " + t + " as the Timeline on the Target step to restore along it anyway (the plan warns)"));
        }
        if (named.isEmpty()) {
            String known = index.restorePoints().stream().map(RestorePoint::name).distinct().limit(10).collect(Collectors.joining(", "));
            throw new PitrException("no restore point named '" + target.value() + "' in the archived WAL",
                    known.isEmpty() ? "the archive holds no restore points; create one with SELECT pg_create_restore_point('name')"
                            : "restore points in the archive: " + known);
        }
        // PostgreSQL stops at the first one with the name it meets; several with one name are ambiguous.
        return named.stream().max(Comparator.comparing(RestorePoint::lsn)).orElseThrow();
    }

    private boolean liesOnPath(RestorePoint r, int tli) {
        for (int t = tli; ; ) {
            Optional<Lsn> branch = index.timelines().branchLsn(t);
            OptionalInt parent = index.timelines().parentOf(t);
            if (parent.isEmpty() || branch.isEmpty()) {
                return false;
            }
            if (parent.getAsInt() == r.timeline()) {
                return r.lsn().compareTo(branch.get()) < 0;
            }
            t = parent.getAsInt();
        }
    }

    /** True when lsn belongs to this timeline itself, not to the part inherited from its parent. */
    private boolean liesOn(Lsn lsn, int tli) {
        return index.timelines().branchLsn(tli).map(b -> lsn.compareTo(b) >= 0).orElse(true);
    }

    private Optional<Lsn> firstXactAfter(RecoveryWindow w, Instant t) {
        return index.segments().stream().filter(s -> s.name().timeline() <= w.timeline())
                .filter(s -> s.lastXactTime().filter(x -> x.isAfter(t)).isPresent())
                .filter(s -> s.endLsn().compareTo(w.fromLsn()) >= 0)
                .map(SegmentInfo::endLsn).min(Comparator.naturalOrder());
    }

    /** The segments recovery reads from the backup's start to until, following the timeline's ancestry. */
    private List<SegmentInfo> walSegments(BackupRecord b, int tli, Lsn until) {
        long seg = index.segmentSize();
        List<SegmentInfo> out = new ArrayList<>();
        for (long n = b.startLsn().segmentNumber(seg); n <= until.segmentNumber(seg); n++) {
            Optional<SegmentInfo> s = segmentFor(tli, n);
            if (s.isEmpty()) {
                throw new PitrException("WAL segment number " + n + " for timeline " + tli + " is missing from the archive",
                        Hint.of("run 'wal status' to see the archive's gaps", "the Recovery Timeline shows the archive's gaps in red"));
            }
            out.add(s.get());
        }
        return out;
    }

    private Optional<SegmentInfo> segmentFor(int tli, long n) {
        for (int t = tli; ; ) {
            boolean startsBefore = index.timelines().branchLsn(t).map(bl -> bl.segmentNumber(index.segmentSize()) <= n).orElse(true);
            if (startsBefore) {
                Optional<SegmentInfo> s = index.segment(new WalSegmentName(t, n, index.segmentSize()))
                        .filter(x -> !WalArchiveIndex.isPartial(x));
                if (s.isPresent()) {
                    return s;
                }
            }
            OptionalInt parent = index.timelines().parentOf(t);
            if (parent.isEmpty()) {
                return Optional.empty();
            }
            t = parent.getAsInt();
        }
    }

    private TargetRefusedException refuseTime(RecoveryTarget target, Instant t, List<RecoveryWindow> candidates) {
        Instant first = candidates.stream().map(RecoveryWindow::from).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = candidates.stream().map(RecoveryWindow::to).max(Comparator.naturalOrder()).orElseThrow();
        List<Instant> suggested = suggestions(t, candidates);
        // to the microsecond: a window edge shown to the second may lie outside the window
        List<String> nearest = suggested.stream().map(WindowTargetValidator::exact).toList();
        String where;
        if (t.isBefore(first)) {
            where = "lies before the first usable backup";
        } else if (!t.isBefore(last) && cutByGap(candidates).isPresent()) {
            where = "lies past a gap in the WAL archive: " + missing(cutByGap(candidates).get())
                    + ", and recovery cannot replay past missing WAL, so the archived WAL after the gap is of no use to any backup before it"
                    + " (take a new base backup to make the moments after the gap restorable)";
        } else if (!t.isBefore(last)) {
            where = "lies beyond the archived WAL (the last archived transaction is at " + shown(last)
                    + "; recovery needs a later one to know the target was passed)";
        } else {
            String gap = candidates.stream().filter(c -> c.to().isBefore(t) && c.endedByGap().isPresent())
                    .max(Comparator.comparing(RecoveryWindow::to)).flatMap(RecoveryWindow::endedByGap)
                    .map(g -> ": " + missing(g)).orElse("");
            where = "lies in a gap of the WAL archive" + gap;
        }
        String nearestMoments = "nearest restorable moments: " + (nearest.isEmpty() ? "none" : String.join(" and ", nearest));
        return new TargetRefusedException("the target " + target.describe() + " " + where,
                Hint.of(nearestMoments + "; for everything archived use --latest", nearestMoments + "; for everything archived choose Latest"),
                suggested);
    }

    /** The gap that ends the latest of these windows, when a gap is what ends it. */
    private static Optional<WalGap> cutByGap(List<RecoveryWindow> candidates) {
        return candidates.stream().max(Comparator.comparing(RecoveryWindow::to)).flatMap(RecoveryWindow::endedByGap);
    }

    private static String missing(WalGap g) {
        return "WAL missing from " + g.missing().get(0) + (g.missing().size() > 1 ? " to " + g.missing().get(g.missing().size() - 1) : "");
    }

    private static String exact(Instant t) {
        return io.pitrconsole.core.Timestamps.micros(t);
    }

    /**
     * Time targets that plan, nearest t. A window's end is its last transaction, and a time target
     * must lie before that (recovery stops only on seeing a later commit), so the moment offered
     * for a window ending before t is one microsecond before its end.
     */
    private List<Instant> suggestions(Instant t, List<RecoveryWindow> candidates) {
        List<Instant> out = new ArrayList<>();
        candidates.stream().filter(c -> c.to().isBefore(t) || c.to().equals(t))
                .map(RecoveryWindow::lastReachable).filter(e -> candidates.stream().anyMatch(c -> c.reaches(e)))
                .max(Comparator.naturalOrder()).ifPresent(out::add);
        candidates.stream().map(RecoveryWindow::from).filter(f -> f.isAfter(t))
                .filter(f -> candidates.stream().anyMatch(c -> c.reaches(f)))
                .min(Comparator.naturalOrder()).ifPresent(out::add);
        return List.copyOf(out);
    }

    private PitrException refuseLsn(RecoveryTarget target, Lsn lsn, List<RecoveryWindow> candidates) {
        String ranges = windows.merged().stream().filter(m -> target.timeline() == null || m.timeline() == target.timeline())
                .map(m -> m.fromLsn() + " .. " + m.toLsn() + " on timeline " + m.timeline()).collect(Collectors.joining(", "));
        Lsn first = candidates.stream().map(RecoveryWindow::fromLsn).min(Comparator.naturalOrder()).orElseThrow();
        Lsn last = candidates.stream().map(RecoveryWindow::toLsn).max(Comparator.naturalOrder()).orElseThrow();
        String where = lsn.compareTo(first) < 0 ? "lies before the end of the first usable backup"
                : lsn.compareTo(last) >= 0 && cutByGap(candidates).isPresent()
                        ? "lies past a gap in the WAL archive (" + missing(cutByGap(candidates).get()) + "), which recovery cannot replay past"
                : lsn.compareTo(last) >= 0 ? "lies beyond the archived WAL" : "lies in a gap of the WAL archive";
        // a restore point or xid is shown with the LSN it resolved to; an LSN target already names it
        String at = target.kind() == RecoveryTarget.Kind.LSN ? "" : " (LSN " + lsn + ")";
        return new PitrException("the target " + target.describe() + at + " " + where,
                "restorable WAL locations: " + (ranges.isEmpty() ? "none" : ranges));
    }
}
