package io.pitrconsole.archiving;

import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What wal_archive/ holds, read from file names and file attributes only (no WAL is parsed): cheap
 * enough for every health request and every cleanup plan.
 */
public record WalArchiveFiles(List<ArchivedWalFile> files) {

    public WalArchiveFiles {
        files = List.copyOf(files);
    }

    /** Lists wal_archive/ (empty when it does not exist yet); temp files of a running archive_command are skipped. */
    public static WalArchiveFiles scan(ArchiveLayout layout, long segmentSize) {
        Path dir = layout.walArchive();
        if (!Files.isDirectory(dir)) {
            return new WalArchiveFiles(List.of());
        }
        List<ArchivedWalFile> result = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (!a.isRegularFile()) {
                        continue;
                    }
                    Optional<WalSegmentName> seg = WalSegmentName.looksLikeSegment(name)
                            ? Optional.of(WalSegmentName.parse(name, segmentSize)) : Optional.empty();
                    result.add(new ArchivedWalFile(name, p, a.size(), a.lastModifiedTime().toInstant(), seg));
                } catch (NoSuchFileException e) {
                    // removed while we listed (a concurrent cleanup); it is simply not there
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot list " + dir + ": " + e.getMessage(), "check that this user may read the WAL archive");
        }
        result.sort(Comparator.comparing(ArchivedWalFile::name));
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
