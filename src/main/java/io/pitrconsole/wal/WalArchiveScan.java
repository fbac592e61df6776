package io.pitrconsole.wal;

import io.pitrconsole.archive.TarStreams;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WAL archive as the index sees it: which listed files are segments (plain, .gz, .zst,
 * .partial), timeline history files and backup history files, the copy of each segment recovery
 * would use, and the segment size. Anything else is left alone.
 */
final class WalArchiveScan {
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{24})(\\.partial)?(\\.gz|\\.zst)?");
    private static final int LONG_HEADER = 40;
    private static final int COMPRESSED_HEAD = 256 * 1024;

    private final List<ArchivedSegmentFile> segments;
    private final Map<Integer, WalFile> historyFiles;
    private final List<WalFile> backupFiles;
    private final long totalBytes;
    private final long segmentSize;
    private final List<String> problems;

    private WalArchiveScan(List<ArchivedSegmentFile> segments, Map<Integer, WalFile> historyFiles, List<WalFile> backupFiles,
                           long totalBytes, long segmentSize, List<String> problems) {
        this.problems = List.copyOf(problems);
        this.segments = segments;
        this.historyFiles = historyFiles;
        this.backupFiles = backupFiles;
        this.totalBytes = totalBytes;
        this.segmentSize = segmentSize;
    }

    /** Lists the archive once and sorts out its files; only the first segments' headers are read (for the segment size). */
    static WalArchiveScan of(WalStore store) {
        record Found(WalFile file, Matcher segment) {
        }
        List<Found> segmentFiles = new ArrayList<>();
        Map<Integer, WalFile> history = new TreeMap<>();
        List<WalFile> backups = new ArrayList<>();
        long total = 0;
        for (WalFile f : store.list()) {
            total += f.size();
            Matcher m = SEGMENT.matcher(f.name());
            if (m.matches()) {
                segmentFiles.add(new Found(f, m));
            } else if (f.isHistory()) {
                history.putIfAbsent(f.historyTimeline().orElseThrow(), f);
            } else if (f.isBackupHistory()) {
                backups.add(f);
            }
        }
        segmentFiles.sort(Comparator.comparing(x -> x.file().name()));
        backups.sort(Comparator.comparing(WalFile::name));
        long segSize = probeSegmentSize(store, segmentFiles.stream().map(Found::file).toList());
        Map<WalSegmentName, ArchivedSegmentFile> chosen = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Found f : segmentFiles) {
            WalSegmentName name = WalSegmentName.parse(f.segment().group(1), segSize);
            if (!name.toString().equals(f.segment().group(1))) {
                problems.add(f.file().name() + " is not a segment name for " + segSize + "-byte segments; it was left out");
                continue;
            }
            var candidate = new ArchivedSegmentFile(name, store, f.file(), f.segment().group(2) != null);
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
    private static long probeSegmentSize(WalStore store, List<WalFile> files) {
        for (WalFile f : files.subList(0, Math.min(files.size(), 8))) {
            // a compressed segment's first block (zstd's at most 128 KiB) holds its first page
            int stored = f.name().length() == 24 ? LONG_HEADER : COMPRESSED_HEAD;
            try (InputStream in = TarStreams.decompressing(f.name(), store.openHead(f.name(), stored))) {
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

    /** Timeline history files (plain, .gz or .zst: restore_command serves each), by timeline. */
    Map<Integer, WalFile> historyFiles() {
        return historyFiles;
    }

    List<WalFile> backupFiles() {
        return backupFiles;
    }

    /** Bytes of every file in the archive. */
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
