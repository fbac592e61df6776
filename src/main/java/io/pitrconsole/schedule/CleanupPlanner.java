package io.pitrconsole.schedule;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.archiving.ArchivedWalFile;
import io.pitrconsole.archiving.WalArchiveFiles;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.schedule.CleanupPlan.Removal;
import io.pitrconsole.wal.WalArchiveIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out a cleanup: retention policy first, then the size cap, then the WAL no kept backup
 * can use any more. Reads only; removing is {@link CleanupService}'s job.
 */
final class CleanupPlanner {
    private final Repository repository;
    private final ScheduleConfig config;
    private final ZoneId zone;

    CleanupPlanner(Repository repository, ScheduleConfig config, ZoneId zone) {
        this.repository = repository;
        this.config = config;
        this.zone = zone;
    }

    CleanupPlan plan() {
        List<String> notes = new ArrayList<>();
        List<BackupRecord> usable = new ArrayList<>();
        List<BackupRecord> broken = new ArrayList<>();
        for (CatalogEntry e : new BackupCatalog(repository).entries()) {
            if (e.record().isEmpty()) {
                notes.add("left alone: " + e.id() + " (" + e.problem().orElse("unreadable") + ")");
                continue;
            }
            BackupRecord r = e.record().get();
            if (r.status().usable() && r.startTime() != null && r.startLsn() != null && r.timeline() != null) {
                usable.add(r);
            } else if (r.status() == BackupStatus.FAILED || r.status() == BackupStatus.CORRUPT) {
                broken.add(r);
            } else {
                notes.add("left alone: " + r.id() + " (" + r.status().label() + ")");
            }
        }
        usable.sort(Comparator.comparing(BackupRecord::startTime).thenComparing(BackupRecord::id).reversed());
        Map<String, List<String>> kept = new LinkedHashMap<>(new RetentionSelector(config.retention(), zone).keep(usable));
        List<String> protectedIds = protectedBackups(usable, kept, newestWithWindow(usable, notes));

        Map<String, Long> sizes = new HashMap<>();
        for (BackupRecord r : usable) {
            sizes.put(r.id(), dirSize(r.id()));
        }
        WalArchiveFiles files = WalArchiveFiles.scan(repository.wal(), segmentSize(usable));
        TimelineAncestry ancestry = TimelineAncestry.read(repository.wal(), files.files());

        long cap = config.sizeCapBytes();
        List<Removal> capped = new ArrayList<>();
        if (cap > 0) {
            while (true) {
                long total = kept.keySet().stream().mapToLong(sizes::get).sum() + walKept(files, keptRecords(usable, kept), ancestry);
                if (total <= cap) {
                    break;
                }
                Optional<BackupRecord> oldest = keptRecords(usable, kept).stream().filter(r -> !protectedIds.contains(r.id()))
                        .reduce((a, b) -> b);
                if (oldest.isEmpty()) {
                    notes.add("still above the size cap of " + ByteSize.of(cap) + " (" + ByteSize.of(total)
                            + "): only protected backups are left; raise max_total_size_gb or add space");
                    break;
                }
                String id = oldest.get().id();
                kept.remove(id);
                capped.add(new Removal(id, backupPath(id), sizes.get(id), "over the size cap of " + ByteSize.of(cap)));
            }
        }

        List<Removal> backups = new ArrayList<>();
        for (BackupRecord r : usable) {
            if (!kept.containsKey(r.id())) {
                backups.add(capped.stream().filter(c -> c.name().equals(r.id())).findFirst()
                        .orElse(new Removal(r.id(), backupPath(r.id()), sizes.get(r.id()), "outside the retention policy")));
            }
        }
        Optional<BackupRecord> newestUsable = usable.stream().findFirst();
        for (BackupRecord r : broken) {
            if (newestUsable.isPresent() && r.startTime() != null && r.startTime().isBefore(newestUsable.get().startTime())) {
                backups.add(new Removal(r.id(), backupPath(r.id()), dirSize(r.id()), r.status().label() + ", not restorable"));
            } else {
                notes.add("left alone: " + r.id() + " (" + r.status().label() + ", no newer restorable backup)");
            }
        }
        backups.sort(Comparator.comparing(Removal::name));

        List<BackupRecord> keptList = keptRecords(usable, kept);
        if (keptList.isEmpty()) {
            notes.add("no restorable backup is kept, so no WAL is removed");
        }
        WalRemovals walPlan = walRemovals(files, keptList, ancestry);
        List<Removal> wal = walPlan.removals();
        long walAfter = walPlan.bytesAfter();
        long backupsAfter = kept.keySet().stream().mapToLong(sizes::get).sum()
                + broken.stream().filter(r -> backups.stream().noneMatch(x -> x.name().equals(r.id()))).mapToLong(r -> dirSize(r.id())).sum();
        protectedIds.forEach(id -> kept.computeIfAbsent(id, k -> new ArrayList<>()));
        List<Removal> leftovers = repository.leftovers(Instant.now()).stream()
                .map(f -> new Removal(f.name(), Path.of(repository.location().toString(), f.name()), f.bytes(),
                        "temporary file a killed writer left behind"))
                .toList();
        return new CleanupPlan(backups, wal, leftovers, kept, backupsAfter + walAfter, notes);
    }

    /** The WAL files cleanup removes and the bytes of WAL it keeps. */
    record WalRemovals(List<Removal> removals, long bytesAfter) {
    }

    /** The WAL no kept backup can replay (none when no backup is kept: then nothing says which WAL matters). */
    WalRemovals walRemovals(List<BackupRecord> keptList, long segmentSize) {
        WalArchiveFiles files = WalArchiveFiles.scan(repository.wal(), segmentSize);
        return walRemovals(files, keptList, TimelineAncestry.read(repository.wal(), files.files()));
    }

    private WalRemovals walRemovals(WalArchiveFiles files, List<BackupRecord> keptList, TimelineAncestry ancestry) {
        if (keptList.isEmpty()) {
            return new WalRemovals(List.of(), files.totalBytes());
        }
        List<Removal> wal = new ArrayList<>();
        long walAfter = 0;
        for (ArchivedWalFile f : files.files()) {
            if (needed(f, keptList, ancestry)) {
                walAfter += f.size();
            } else {
                Path where = repository.wal().localFile(f.name()).orElse(Path.of(f.name()));
                wal.add(new Removal(f.name(), where, f.size(), "before the start of every kept backup on its timeline"));
            }
        }
        return new WalRemovals(wal, walAfter);
    }

    /**
     * The newest backup the archived WAL can actually restore (it has a recovery window), so a
     * policy that keeps only backups whose WAL was lost cannot leave nothing restorable.
     */
    private Optional<String> newestWithWindow(List<BackupRecord> usable, List<String> notes) {
        try {
            RecoveryWindows w = RecoveryWindows.compute(usable, WalArchiveIndex.load(repository, ProgressListener.NONE, Cancellation.none()));
            return w.windows().stream().max(Comparator.comparing(RecoveryWindow::from)).map(RecoveryWindow::backupId);
        } catch (PitrException e) {
            notes.add("recovery windows unknown (" + e.getMessage() + "); only the status protects backups");
            return Optional.empty();
        }
    }

    /** The newest verified, newest restorable and newest windowed backups are never removed; marked in the kept reasons. */
    private static List<String> protectedBackups(List<BackupRecord> usable, Map<String, List<String>> kept, Optional<String> windowed) {
        List<String> ids = new ArrayList<>();
        windowed.ifPresent(id -> {
            ids.add(id);
            kept.computeIfAbsent(id, k -> new ArrayList<>()).add("newest with a recovery window");
        });
        usable.stream().filter(r -> r.status() == BackupStatus.VERIFIED).findFirst().filter(r -> !ids.contains(r.id())).ifPresent(r -> {
            ids.add(r.id());
            kept.computeIfAbsent(r.id(), k -> new ArrayList<>()).add("newest verified");
        });
        usable.stream().findFirst().filter(r -> !ids.contains(r.id())).ifPresent(r -> {
            ids.add(r.id());
            kept.computeIfAbsent(r.id(), k -> new ArrayList<>()).add("newest restorable");
        });
        return ids;
    }

    private static List<BackupRecord> keptRecords(List<BackupRecord> newestFirst, Map<String, List<String>> kept) {
        return newestFirst.stream().filter(r -> kept.containsKey(r.id())).toList();
    }

    private static long walKept(WalArchiveFiles files, List<BackupRecord> kept, TimelineAncestry ancestry) {
        if (kept.isEmpty()) {
            return files.totalBytes();
        }
        return files.files().stream().filter(f -> needed(f, kept, ancestry)).mapToLong(ArchivedWalFile::size).sum();
    }

    /**
     * A WAL file stays when some kept backup can replay it: same or a descendant timeline, at or
     * after the segment the backup starts in. History files and unknown names always stay.
     */
    static boolean needed(ArchivedWalFile f, List<BackupRecord> kept, TimelineAncestry ancestry) {
        if (f.segment().isEmpty() || f.isHistory()) {
            return true;
        }
        WalSegmentName seg = f.segment().get();
        for (BackupRecord b : kept) {
            WalSegmentName start = WalSegmentName.containing(b.timeline(), b.startLsn(), seg.segmentSize());
            if (Long.compareUnsigned(seg.segmentNumber(), start.segmentNumber()) < 0) {
                continue;
            }
            // a timeline without a history file cannot be placed: keep its WAL rather than guess
            if (ancestry.isSelfOrDescendant(seg.timeline(), b.timeline()).orElse(true)) {
                return true;
            }
        }
        return false;
    }

    private long segmentSize(List<BackupRecord> usable) {
        return usable.stream().map(BackupRecord::walSegmentSize).filter(s -> s != null && s > 0).findFirst()
                .orElse(WalSegmentName.DEFAULT_SEGMENT_SIZE);
    }

    private long dirSize(String id) {
        try {
            return repository.backups().size(id);
        } catch (IOException e) {
            throw new PitrException("cannot measure " + repository.backups().where(id) + ": " + e.getMessage(),
                    "check that this user may read the archive");
        }
    }

    private Path backupPath(String id) {
        return Path.of(repository.backups().where(id));
    }
}
