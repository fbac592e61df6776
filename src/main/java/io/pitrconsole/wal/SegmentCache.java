package io.pitrconsole.wal;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reader found in each segment, kept in .pitr/wal-index.bin (see {@link SegmentCacheFile})
 * so the next run reads only segments that are new or changed. An entry is used only when the file's name, size and
 * modification time and those of the segment after it (a record may continue into it) are the
 * same as when it was read; an entry whose checksum is wrong is dropped, and a cache that cannot
 * be parsed or was written for another segment size is dropped whole.
 */
final class SegmentCache {
    static final String FILE_NAME = "wal-index.bin";
    /** Where versions before the binary cache kept it; removed when the new file is written. */
    private static final String OLD_FILE_NAME = "wal-index.json";
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCache.class);

    record Entry(String key, String nextKey, Lsn startLsn, Lsn endLsn, Instant firstXactTime, Instant lastXactTime,
                 List<RestorePoint> restorePoints, boolean complete, String damage, long systemIdentifier) {
    }

    /** Where the cache is kept; empty for an index that keeps no cache. */
    private final Optional<Path> file;
    private final Map<String, Entry> byKey = new HashMap<>();

    private SegmentCache(Optional<Path> file) {
        this.file = file;
    }

    /** No cache: every segment is read, nothing is saved (a repository without a local cache). */
    static SegmentCache none() {
        return new SegmentCache(Optional.empty());
    }

    static SegmentCache load(Path stateDir, long segmentSize) {
        Path file = stateDir.resolve(FILE_NAME);
        SegmentCache cache = new SegmentCache(Optional.of(file));
        if (!Files.isRegularFile(file)) {
            return cache;
        }
        try {
            SegmentCacheFile.Content c = SegmentCacheFile.read(Files.readAllBytes(file));
            if (c.segmentSize() != segmentSize) {
                LOG.info("WAL index cache {} is for another segment size; rebuilding it", file);
                return cache;
            }
            if (c.damagedEntries() > 0) {
                LOG.warn("WAL index cache {}: {} damaged entries dropped; their segments are read again", file,
                        c.damagedEntries());
            }
            for (Entry e : c.entries()) {
                if (e != null && e.key() != null && e.startLsn() != null && e.endLsn() != null && e.restorePoints() != null
                        && e.endLsn().compareTo(e.startLsn()) >= 0) {
                    cache.byKey.put(e.key(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("WAL index cache {} is unreadable ({}); rebuilding it", file, why(e));
        }
        return cache;
    }

    /** Exceptions of a short read (EOF, buffer underflow) carry no message; say what it means instead of "null". */
    private static String why(Exception e) {
        if (e instanceof java.io.EOFException || e instanceof java.nio.BufferUnderflowException) {
            return "it ends early: truncated" + (e.getMessage() == null ? "" : ", " + e.getMessage());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The cached result for this version of the file, if it is still valid. */
    Optional<SegmentInfo> lookup(ArchivedSegmentFile f, Optional<ArchivedSegmentFile> next) {
        Entry e = byKey.get(f.key());
        if (e == null || !java.util.Objects.equals(e.nextKey(), next.map(ArchivedSegmentFile::key).orElse(null))) {
            return Optional.empty();
        }
        WalSegmentName n = f.name();
        if (e.startLsn().compareTo(n.startLsn()) < 0 || e.endLsn().value() > n.startLsn().value() + 2 * n.segmentSize()) {
            return Optional.empty();
        }
        return Optional.of(new SegmentInfo(n, f.file(), f.size(), e.startLsn(), e.endLsn(), Optional.ofNullable(e.firstXactTime()),
                Optional.ofNullable(e.lastXactTime()), e.restorePoints(), e.complete(), Optional.ofNullable(e.damage()), e.systemIdentifier()));
    }

    int size() {
        return byKey.size();
    }

    static Entry entryOf(ArchivedSegmentFile f, Optional<ArchivedSegmentFile> next, SegmentInfo s) {
        return new Entry(f.key(), next.map(ArchivedSegmentFile::key).orElse(null), s.startLsn(), s.endLsn(),
                s.firstXactTime().orElse(null), s.lastXactTime().orElse(null), s.restorePoints(), s.complete(),
                s.damage().orElse(null), s.systemIdentifier());
    }

    /** Replaces the cache file with exactly these entries; a read-only archive just goes uncached. */
    void save(long segmentSize, List<Entry> entries) {
        if (file.isEmpty()) {
            return;
        }
        Path f = file.get();
        try {
            Files.createDirectories(f.getParent());
            AtomicFiles.write(f, SegmentCacheFile.write(segmentSize, entries));
            Files.deleteIfExists(f.resolveSibling(OLD_FILE_NAME));
        } catch (IOException e) {
            LOG.warn("cannot write the WAL index cache {} ({}); the next run reads every segment again", f, e.getMessage());
        }
    }
}
