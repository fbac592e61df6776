package io.pitrconsole.wal;

import io.pitrconsole.archive.TarStreams;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One listing of wal_archive/: which files are segments (plain, .gz, .zst, .partial), timeline
 * history files and backup history files. Anything else (an archive_command's temp file, say)
 * is left alone.
 */
final class WalArchiveScan {
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{24})(\\.partial)?(\\.gz|\\.zst)?");
    private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history(\\.gz|\\.zst)?");
    private static final Pattern BACKUP = Pattern.compile("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup(\\.gz|\\.zst)?");
    private static final int LONG_HEADER = 40;

    private final List<ArchivedSegmentFile> segments;
    private final Map<Integer, Path> historyFiles;
    private final List<Path> backupFiles;
    private final long totalBytes;
    private final long segmentSize;
    private final List<String> problems;

    private WalArchiveScan(List<ArchivedSegmentFile> segments, Map<Integer, Path> historyFiles, List<Path> backupFiles,
                           long totalBytes, long segmentSize, List<String> problems) {
        this.problems = List.copyOf(problems);
        this.segments = segments;
        this.historyFiles = historyFiles;
        this.backupFiles = backupFiles;
        this.totalBytes = totalBytes;
        this.segmentSize = segmentSize;
    }

    static WalArchiveScan of(Path walArchive) {
        if (!Files.isDirectory(walArchive)) {
            return new WalArchiveScan(List.of(), Map.of(), List.of(), 0, WalSegmentName.DEFAULT_SEGMENT_SIZE, List.of());
        }
        record Found(String name, Matcher segment, Path file, BasicFileAttributes attrs) {
        }
        List<Found> segmentFiles = new ArrayList<>();
        Map<Integer, Path> history = new TreeMap<>();
        List<Path> backups = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(walArchive)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!attrs.isRegularFile()) {
                    continue;
                }
                total += attrs.size();
                Matcher m = SEGMENT.matcher(name);
                if (m.matches()) {
                    segmentFiles.add(new Found(name, m, p, attrs));
                } else if ((m = HISTORY.matcher(name)).matches()) {
                    history.putIfAbsent((int) Long.parseLong(m.group(1), 16), p);
                } else if (BACKUP.matcher(name).matches()) {
                    backups.add(p);
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot list the WAL archive " + walArchive + ": " + e.getMessage(),
                    "check that the directory exists and this user may read it");
        }
        segmentFiles.sort(Comparator.comparing(Found::name));
        backups.sort(Comparator.naturalOrder());
        long segSize = probeSegmentSize(segmentFiles.stream().map(Found::file).toList());
        Map<WalSegmentName, ArchivedSegmentFile> chosen = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Found f : segmentFiles) {
            WalSegmentName name = WalSegmentName.parse(f.segment().group(1), segSize);
            if (!name.toString().equals(f.segment().group(1))) {
                problems.add(f.name() + " is not a segment name for " + segSize + "-byte segments; it was left out");
                continue;
            }
            var candidate = new ArchivedSegmentFile(name, f.file(), f.attrs().size(), f.attrs().lastModifiedTime().toMillis(),
                    f.segment().group(2) != null);
            chosen.merge(name, candidate, WalArchiveScan::preferred);
        }
        return new WalArchiveScan(List.copyOf(chosen.values()), history, backups, total, segSize, problems);
    }

    /** A full segment beats a .partial one of the same name; then a plain file beats a compressed one. */
    private static ArchivedSegmentFile preferred(ArchivedSegmentFile a, ArchivedSegmentFile b) {
        if (a.partial() != b.partial()) {
            return a.partial() ? b : a;
        }
        return a.fileName().length() <= b.fileName().length() ? a : b;
    }

    /** The segment size from the long page header of the first readable segment (16 MiB when none is). */
    private static long probeSegmentSize(List<Path> files) {
        for (Path f : files.subList(0, Math.min(files.size(), 8))) {
            try (InputStream in = TarStreams.decompressed(f)) {
                byte[] head = in.readNBytes(LONG_HEADER);
                if (head.length == LONG_HEADER) {
                    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                    long size = Integer.toUnsignedLong(b.getInt(32));
                    boolean longHeader = (b.getShort(2) & 0x2) != 0;
                    if (longHeader && size >= (1 << 20) && size <= (1L << 30) && Long.bitCount(size) == 1) {
                        return size;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // A damaged first segment says nothing about the size; the next one may.
            }
        }
        return WalSegmentName.DEFAULT_SEGMENT_SIZE;
    }

    /** Segments by name; for a name present several times, the one recovery would use. */
    List<ArchivedSegmentFile> segments() {
        return segments;
    }

    Map<Integer, Path> historyFiles() {
        return historyFiles;
    }

    List<Path> backupFiles() {
        return backupFiles;
    }

    /** Bytes of every regular file in wal_archive/. */
    long totalBytes() {
        return totalBytes;
    }

    /** Files that look like segments but cannot be one. */
    List<String> problems() {
        return problems;
    }

    long segmentSize() {
        return segmentSize;
    }
}
