package io.pitrconsole.wal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
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
 * What the reader found in each segment, kept in .pitr/wal-index.json so the next run reads only
 * segments that are new or changed. An entry is used only when the file's name, size and
 * modification time and those of the segment after it (a record may continue into it) are the
 * same as when it was read; a cache that cannot be parsed or was written for another segment
 * size is dropped whole.
 */
final class SegmentCache {
    static final String FILE_NAME = "wal-index.json";
    private static final int FORMAT = 1;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCache.class);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String key, String nextKey, Lsn startLsn, Lsn endLsn, Instant firstXactTime, Instant lastXactTime,
                 List<RestorePoint> restorePoints, boolean complete, String damage) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(int format, long segmentSize, List<Entry> segments) {
    }

    private final Path file;
    private final Map<String, Entry> byKey = new HashMap<>();

    private SegmentCache(Path file) {
        this.file = file;
    }

    static SegmentCache load(Path stateDir, long segmentSize) {
        SegmentCache cache = new SegmentCache(stateDir.resolve(FILE_NAME));
        if (!Files.isRegularFile(cache.file)) {
            return cache;
        }
        try {
            Content c = Json.mapper().readValue(cache.file.toFile(), Content.class);
            if (c == null || c.format() != FORMAT || c.segmentSize() != segmentSize || c.segments() == null) {
                LOG.info("WAL index cache {} is from another format or segment size; rebuilding it", cache.file);
                return cache;
            }
            for (Entry e : c.segments()) {
                if (e != null && e.key() != null && e.startLsn() != null && e.endLsn() != null && e.restorePoints() != null
                        && e.endLsn().compareTo(e.startLsn()) >= 0) {
                    cache.byKey.put(e.key(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("WAL index cache {} is unreadable ({}); rebuilding it", cache.file, e.getMessage());
        }
        return cache;
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
                Optional.ofNullable(e.lastXactTime()), e.restorePoints(), e.complete(), Optional.ofNullable(e.damage())));
    }

    int size() {
        return byKey.size();
    }

    static Entry entryOf(ArchivedSegmentFile f, Optional<ArchivedSegmentFile> next, SegmentInfo s) {
        return new Entry(f.key(), next.map(ArchivedSegmentFile::key).orElse(null), s.startLsn(), s.endLsn(),
                s.firstXactTime().orElse(null), s.lastXactTime().orElse(null), s.restorePoints(), s.complete(),
                s.damage().orElse(null));
    }

    /** Replaces the cache file with exactly these entries; a read-only archive just goes uncached. */
    void save(long segmentSize, List<Entry> entries) {
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = Json.mapper().writeValueAsBytes(new Content(FORMAT, segmentSize, entries));
            AtomicFiles.write(file, bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            LOG.warn("cannot write the WAL index cache {} ({}); the next run reads every segment again", file, e.getMessage());
        }
    }
}
