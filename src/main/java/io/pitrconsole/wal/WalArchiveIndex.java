package io.pitrconsole.wal;

import io.pitrconsole.archive.BackupLabel;
import io.pitrconsole.archive.TarStreams;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.InOrder;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything recovery needs to know about an archive's WAL: each segment's LSN range, transaction
 * times and restore points (read natively, cached in the repository's local cache), the timeline
 * tree, and the gaps.
 */
public final class WalArchiveIndex {
    private static final Logger LOG = LoggerFactory.getLogger(WalArchiveIndex.class);

    private final long segmentSize;
    private final List<SegmentInfo> segments;
    private final Map<WalSegmentName, SegmentInfo> byName;
    private final TimelineHistory timelines;
    private final List<WalGap> gaps;
    private final List<RestorePoint> restorePoints;
    private final List<BackupHistoryFile> backupHistory;
    private final List<String> problems;
    private final long totalBytes;
    private final int segmentsRead;
    private final Set<Integer> listedTimelines;
    private final WalStore wal;

    WalArchiveIndex(long segmentSize, List<SegmentInfo> segments, TimelineHistory timelines, List<BackupHistoryFile> backupHistory,
                    List<String> problems, long totalBytes, int segmentsRead) {
        this(null, segmentSize, segments, timelines, backupHistory, problems, totalBytes, segmentsRead,
                segments.stream().map(s -> s.name().timeline()).toList());
    }

    private WalArchiveIndex(WalStore wal, long segmentSize, List<SegmentInfo> segments, TimelineHistory timelines,
                            List<BackupHistoryFile> backupHistory, List<String> problems, long totalBytes, int segmentsRead,
                            Collection<Integer> listedTimelines) {
        this.wal = wal;
        this.listedTimelines = Set.copyOf(listedTimelines);
        this.segmentSize = segmentSize;
        this.segments = segments.stream().sorted(Comparator.comparing(SegmentInfo::name)).toList();
        this.byName = new HashMap<>();
        this.segments.forEach(s -> byName.put(s.name(), s));
        this.timelines = timelines;
        this.gaps = WalGaps.find(this.segments);
        this.restorePoints = this.segments.stream().flatMap(s -> s.restorePoints().stream())
                .sorted(Comparator.comparing(RestorePoint::time)).toList();
        this.backupHistory = List.copyOf(backupHistory);
        this.problems = List.copyOf(problems);
        this.totalBytes = totalBytes;
        this.segmentsRead = segmentsRead;
    }

    /** An index over segment summaries already at hand (no files are read). */
    public static WalArchiveIndex of(long segmentSize, List<SegmentInfo> segments, TimelineHistory timelines) {
        long bytes = segments.stream().mapToLong(SegmentInfo::fileSize).sum();
        return new WalArchiveIndex(segmentSize, segments, timelines, List.of(), List.of(), bytes, 0);
    }

    /**
     * Lists the repository's WAL archive and reads only segments that are new or changed since the
     * run cached in its local cache, with the reader's {@link WalSegmentReader.Checks#INDEX} checks.
     */
    public static WalArchiveIndex load(Repository repository, ProgressListener progress, Cancellation cancel) {
        return load(repository, WalSegmentReader.Checks.INDEX, progress, cancel);
    }

    /** Like {@link #load(Repository, ProgressListener, Cancellation)}; FULL reads and checks every segment again. */
    public static WalArchiveIndex load(Repository repository, WalSegmentReader.Checks checks, ProgressListener progress,
                                       Cancellation cancel) {
        return load(repository.wal(), Optional.ofNullable(repository.localCache()), checks, progress, cancel);
    }

    /**
     * Indexes a WAL archive; with a cache directory, segments read by an earlier run are taken
     * from its cache (and the cache is brought up to date), without one every segment is read.
     */
    public static WalArchiveIndex load(WalStore wal, Optional<Path> cacheDir, WalSegmentReader.Checks checks,
                                       ProgressListener progress, Cancellation cancel) {
        return load(wal, cacheDir, checks, Optional.empty(), WalCopies.none(), progress, cancel);
    }

    /**
     * Like {@link #load(Repository, ProgressListener, Cancellation)}, but with {@code from} only the
     * segments from the one before the segment holding that location on (on every timeline) are
     * summarised: what a restore from a backup starting there or later can replay. The others are
     * left out of the index, and their cache entries are kept unread.
     */
    public static WalArchiveIndex loadFrom(Repository repository, Optional<Lsn> from, ProgressListener progress, Cancellation cancel) {
        return loadFrom(repository, from, WalCopies.none(), progress, cancel);
    }

    /** Like {@link #loadFrom(Repository, Optional, ProgressListener, Cancellation)}, keeping whole copies of what it fetches in {@code copies}. */
    public static WalArchiveIndex loadFrom(Repository repository, Optional<Lsn> from, WalCopies copies, ProgressListener progress,
                                           Cancellation cancel) {
        return load(repository.wal(), Optional.ofNullable(repository.localCache()), WalSegmentReader.Checks.INDEX, from, copies, progress,
                cancel);
    }

    private static WalArchiveIndex load(WalStore wal, Optional<Path> cacheDir, WalSegmentReader.Checks checks, Optional<Lsn> from,
                                        WalCopies copies, ProgressListener progress, Cancellation cancel) {
        long t0 = System.nanoTime();
        WalArchiveScan scan = WalArchiveScan.of(wal);
        long t1 = System.nanoTime();
        SegmentCache cache = cacheDir.map(d -> SegmentCache.load(d, scan.segmentSize())).orElseGet(SegmentCache::none);
        // the segment before the start too: a gap right before it is told as one, as with the whole archive
        long first = from.map(l -> l.segmentNumber(scan.segmentSize()) - 1).orElse(Long.MIN_VALUE);
        SegmentIndexer.Result read = new SegmentIndexer(cache, checks, progress, cancel, copies)
                .index(scan.segments(), f -> f.name().segmentNumber() >= first);
        if (read.changed()) {
            cache.save(scan.segmentSize(), read.entries());
        }
        long t2 = System.nanoTime();
        List<String> problems = new ArrayList<>(scan.problems());
        TimelineHistory history = readHistory(wal, scan, read.segments(), problems);
        List<BackupHistoryFile> backups = readBackupFiles(wal, scan.backupFiles(), problems);
        LOG.debug("WAL index: {} segments, {} read, {} from cache; listing {} ms, segments {} ms, {} history and {} backup history file(s) {} ms",
                read.segments().size(), read.readCount(), read.segments().size() - read.readCount(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, scan.historyFiles().size(), scan.backupFiles().size(), (System.nanoTime() - t2) / 1_000_000);
        return new WalArchiveIndex(wal, scan.segmentSize(), read.segments(), history, backups, problems, scan.totalBytes(),
                read.readCount(), scan.segments().stream().map(f -> f.name().timeline()).toList());
    }

    private static TimelineHistory readHistory(WalStore wal, WalArchiveScan scan, List<SegmentInfo> segments, List<String> problems) {
        Map<Integer, String> texts = new HashMap<>();
        for (var e : scan.historyFiles().entrySet()) {
            try {
                String text = readText(wal, e.getValue());
                TimelineHistory.parse(e.getKey(), text);
                texts.put(e.getKey(), text);
            } catch (PitrException bad) {
                problems.add(bad.getMessage());
            }
        }
        TreeSet<Integer> seen = new TreeSet<>();
        segments.forEach(s -> seen.add(s.name().timeline()));
        return TimelineHistory.of(texts, seen);
    }

    /**
     * The backup history files, read several at a time (each is a request to a bucket); their
     * problems are added in the files' order, as one by one.
     */
    private static List<BackupHistoryFile> readBackupFiles(WalStore wal, List<WalFile> files, List<String> problems) {
        List<BackupFileRead> read = InOrder.map(files, 8, "backup-history-read", "reading the backup history files",
                f -> readBackupFile(wal, f));
        read.forEach(r -> r.problem().ifPresent(problems::add));
        return read.stream().flatMap(r -> r.file().stream()).toList();
    }

    /** A backup history file as read: its contents, or what is wrong with it. */
    private record BackupFileRead(Optional<BackupHistoryFile> file, Optional<String> problem) {
    }

    private static BackupFileRead readBackupFile(WalStore wal, WalFile file) {
        try {
            BackupLabel l = BackupLabel.parse(readText(wal, file), Optional.empty());
            return new BackupFileRead(Optional.of(new BackupHistoryFile(file.name(), l.startLsn(), l.stopLsn(), l.startTime(),
                    l.stopTime(), l.label())), Optional.empty());
        } catch (PitrException | java.time.DateTimeException | IllegalArgumentException bad) {
            return new BackupFileRead(Optional.empty(), Optional.of(file.name() + " is unreadable: " + bad.getMessage()));
        }
    }

    /** The text of a small archive file (history, backup history), decompressed as restore_command would. */
    static String readText(WalStore wal, WalFile file) {
        try (InputStream in = TarStreams.decompressing(file.name(), wal.open(file.name()))) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PitrException("cannot read " + file.name() + " in " + wal.describe() + ": " + e.getMessage(),
                    "check the file's permissions");
        }
    }

    /** The WAL archive the segments were read from, to read them again; empty for an index built from summaries. */
    public Optional<WalStore> wal() {
        return Optional.ofNullable(wal);
    }

    /** All segments, sorted by timeline then number; for a name archived twice, the copy recovery would use. */
    public List<SegmentInfo> segments() {
        return segments;
    }

    public Optional<SegmentInfo> segment(WalSegmentName name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The timeline tree from the archive's history files. */
    public TimelineHistory timelines() {
        return timelines;
    }

    /** Missing segments between present ones, per timeline, in order. */
    public List<WalGap> gaps() {
        return gaps;
    }

    /** Named restore points found in the WAL, oldest first. */
    public List<RestorePoint> restorePoints() {
        return restorePoints;
    }

    /** The archive's .backup files. */
    public List<BackupHistoryFile> backupHistory() {
        return backupHistory;
    }

    /** Segments whose bytes could not be read to the end. */
    public List<SegmentInfo> damaged() {
        return segments.stream().filter(s -> s.damage().isPresent()).toList();
    }

    /** History or backup files that could not be understood. */
    public List<String> problems() {
        return problems;
    }

    /** Bytes of everything in wal_archive/. */
    public long totalBytes() {
        return totalBytes;
    }

    public long segmentSize() {
        return segmentSize;
    }

    /**
     * The timelines of every segment in the archive's listing, those left out of an index from a
     * location on included, and of its history files.
     */
    public SortedSet<Integer> archivedTimelines() {
        TreeSet<Integer> all = new TreeSet<>(listedTimelines);
        all.addAll(timelines.timelines());
        return all;
    }

    /** How many segments this load had to read (the rest came from the cache). */
    public int segmentsRead() {
        return segmentsRead;
    }

    /** A .partial segment: kept for the record, but recovery never fetches it. */
    public static boolean isPartial(SegmentInfo s) {
        return s.file().getFileName().toString().contains(".partial");
    }
}
