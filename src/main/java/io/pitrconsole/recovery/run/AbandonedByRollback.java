package io.pitrconsole.recovery.run;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which timelines a rollback throws away: those of the restored cluster's history that the put-back
 * cluster's history does not share, plus any archived timeline that already branched from one of
 * them (a promoted standby of the restored cluster, say). Timelines created later are not touched:
 * they descend from whatever the DBA chose then.
 */
final class AbandonedByRollback {
    private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history");

    private AbandonedByRollback() {
    }

    /** The entries to record for rolling back report r, read before the restored directory is removed. */
    static List<AbandonedTimeline> of(RestoreReport r, Repository repository, Instant now) {
        Path restored = Path.of(r.dataDirectory());
        Optional<Path> aside = Optional.ofNullable(r.movedAside().get(r.dataDirectory())).map(Path::of);
        Map<Integer, String> texts = new HashMap<>();
        OptionalInt restoredOwn = ownTimeline(restored, texts);
        OptionalInt oldOwn = aside.map(a -> ownTimeline(a, texts)).orElse(OptionalInt.empty());
        int restoredTli = Math.max(restoredOwn.orElse(0), r.restoredTimeline() == null ? 0 : r.restoredTimeline());
        if (restoredTli < 2) {
            return List.of();
        }
        TimelineHistory archived = WalArchiveIndex.load(repository, ProgressListener.NONE, Cancellation.none()).timelines();
        TimelineHistory tree = TimelineHistory.of(texts, List.of());
        Set<Integer> kept = chain(oldOwn.orElse(intendedParent(r)), tree, archived);
        Set<Integer> abandoned = new TreeSet<>(chain(restoredTli, tree, archived));
        abandoned.removeAll(kept);
        // Timelines already archived that branched off an abandoned one go with it.
        for (int t : archived.timelines()) {
            if (!kept.contains(t) && chain(t, tree, archived).stream().anyMatch(abandoned::contains)) {
                abandoned.add(t);
            }
        }
        int continuedOn = oldOwn.orElse(-1);
        List<AbandonedTimeline> out = new ArrayList<>();
        for (int t : abandoned) {
            OptionalInt parent = parentOf(t, tree, archived);
            String branch = tree.branchLsn(t).or(() -> archived.branchLsn(t)).map(Object::toString).orElse(null);
            out.add(new AbandonedTimeline(t, parent.isPresent() ? parent.getAsInt() : null, branch,
                    continuedOn > 0 ? continuedOn : null, now, r.id(), r.backup(), r.target(), r.dataDirectory()));
        }
        return out;
    }

    /**
     * Records what rolling back the restore of this journal throws away, read from the directories
     * it names before the restored one is removed; returns what was recorded.
     */
    static List<AbandonedTimeline> record(RestoreJournal.Entry e, Integer restoredTimeline, Map<Path, Path> aside, Repository repository) {
        Map<String, String> moved = new java.util.LinkedHashMap<>();
        aside.forEach((from, to) -> moved.put(from.toString(), to.toString()));
        RestoreReport asReport = RestoreReport.builder().id(e.restoreId()).status(RestoreReport.FAILED).mode(e.mode()).backup(e.backup())
                .target(e.target()).targetDetail(e.targetDetail()).dataDirectory(e.dataDirectory()).port(e.port()).startedAt(e.startedAt())
                .finishedAt(Instant.now()).restoredTimeline(restoredTimeline).serverLog(e.serverLog()).movedAside(moved).build();
        List<AbandonedTimeline> abandoned = of(asReport, repository, Instant.now());
        if (!abandoned.isEmpty()) {
            AbandonedTimelines.record(repository, abandoned);
        }
        return abandoned;
    }

    /** Without the old directory's own history: the timeline the restore recovered along is not abandoned. */
    private static int intendedParent(RestoreReport r) {
        return r.targetDetail() != null && r.targetDetail().timeline() != null ? r.targetDetail().timeline() : 1;
    }

    /**
     * The timeline a data directory's cluster is on, from the newest history file in its pg_wal
     * (PostgreSQL writes it at promotion and never removes it); 1 when there is none. Empty when
     * pg_wal cannot be read. Each history file's text is added to texts.
     */
    static OptionalInt ownTimeline(Path dataDir, Map<Integer, String> texts) {
        Path walDir = dataDir.resolve("pg_wal");
        if (!Files.isDirectory(walDir)) {
            return OptionalInt.empty();
        }
        int newest = 1;
        try (Stream<Path> files = Files.list(walDir)) {
            for (Path p : files.toList()) {
                Matcher m = HISTORY.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int tli = (int) Long.parseLong(m.group(1), 16);
                    texts.putIfAbsent(tli, Files.readString(p));
                    newest = Math.max(newest, tli);
                }
            }
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(newest);
    }

    private static Set<Integer> chain(int tli, TimelineHistory tree, TimelineHistory archived) {
        Set<Integer> out = new LinkedHashSet<>();
        for (OptionalInt t = OptionalInt.of(tli); t.isPresent() && out.add(t.getAsInt()); ) {
            t = parentOf(t.getAsInt(), tree, archived);
        }
        return out;
    }

    private static OptionalInt parentOf(int tli, TimelineHistory tree, TimelineHistory archived) {
        OptionalInt p = tree.parentOf(tli);
        return p.isPresent() ? p : archived.parentOf(tli);
    }
}
