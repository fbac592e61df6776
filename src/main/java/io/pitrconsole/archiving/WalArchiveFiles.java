package io.pitrconsole.archiving;

import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the WAL archive holds, read from its listing only (no WAL is parsed): cheap enough for
 * every health request and every cleanup plan.
 */
public record WalArchiveFiles(List<ArchivedWalFile> files) {

    public WalArchiveFiles {
        files = List.copyOf(files);
    }

    /** Lists the repository's WAL archive (empty when nothing was archived yet); temp files of a running archive_command are skipped. */
    public static WalArchiveFiles scan(WalStore wal, long segmentSize) {
        List<ArchivedWalFile> result = new ArrayList<>();
        for (WalFile f : wal.list()) {
            Optional<WalSegmentName> seg = WalSegmentName.looksLikeSegment(f.name())
                    ? Optional.of(WalSegmentName.parse(f.name(), segmentSize)) : Optional.empty();
            result.add(new ArchivedWalFile(f, seg));
        }
        return new WalArchiveFiles(result);
    }

    public List<ArchivedWalFile> segments() {
        return files.stream().filter(ArchivedWalFile::isSegment).toList();
    }

    public long totalBytes() {
        return files.stream().mapToLong(ArchivedWalFile::size).sum();
    }

    /** The highest-numbered segment on the highest timeline: the newest WAL the archive has. */
    public Optional<ArchivedWalFile> newestSegment() {
        return segments().stream().max(Comparator.comparing(f -> f.segment().orElseThrow()));
    }

    /**
     * Segments per whole hour for the last {@code hours} hours, oldest first, ending with the hour
     * that contains now; hours without a segment count 0.
     */
    public List<HourlyCount> perHour(Instant now, int hours) {
        Instant current = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Instant first = current.minus(Duration.ofHours(hours - 1L));
        long[] counts = new long[hours];
        for (ArchivedWalFile f : segments()) {
            if (f.modified().isBefore(first) || f.modified().isAfter(now)) {
                continue;
            }
            counts[(int) Duration.between(first, f.modified()).toHours()]++;
        }
        List<HourlyCount> out = new ArrayList<>(hours);
        for (int i = 0; i < hours; i++) {
            out.add(new HourlyCount(first.plus(Duration.ofHours(i)), counts[i]));
        }
        return out;
    }

    /** Segments that arrived (by file time) within the given period before now. */
    public long segmentsSince(Instant now, Duration period) {
        Instant from = now.minus(period);
        return segments().stream().filter(f -> f.modified().isAfter(from)).count();
    }
}
