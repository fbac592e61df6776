package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The archive's record of abandoned timelines ({@code .pitr/abandoned-timelines.json}), written by
 * 'restore rollback' and read by everything that chooses a timeline. A missing file means no
 * timeline was abandoned; a file that cannot be read is an error, never taken as "none", because
 * restores would then silently follow a history the DBA threw away.
 */
public final class AbandonedTimelines {
    static final int VERSION = 1;

    /** The file's content. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(int version, List<AbandonedTimeline> timelines) {
    }

    private final Map<Integer, AbandonedTimeline> byTimeline;

    private AbandonedTimelines(Collection<AbandonedTimeline> list) {
        Map<Integer, AbandonedTimeline> m = new TreeMap<>();
        list.forEach(a -> m.put(a.timeline(), a));
        this.byTimeline = Map.copyOf(m);
    }

    /** No abandoned timeline. */
    public static AbandonedTimelines none() {
        return new AbandonedTimelines(List.of());
    }

    public static AbandonedTimelines of(Collection<AbandonedTimeline> list) {
        return new AbandonedTimelines(list);
    }

    /** Reads the archive's record; none when the file does not exist. */
    public static AbandonedTimelines load(ArchiveLayout layout) {
        Path file = layout.abandonedTimelinesFile();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return none();
        } catch (IOException e) {
            throw new PitrException("cannot read " + file + ": " + e.getMessage(), hint(file));
        }
        Content c;
        try {
            c = Json.mapper().readValue(bytes, Content.class);
        } catch (IOException e) {
            throw new PitrException(file + " is damaged (" + firstLine(e.getMessage()) + ")", hint(file));
        }
        if (c == null || c.timelines() == null || c.version() < 1) {
            throw new PitrException(file + " is damaged (no version or no list of timelines)", hint(file));
        }
        if (c.version() > VERSION) {
            throw new PitrException(file + " was written by a newer version of PITR Console (format " + c.version() + ")",
                    "use that version, or move the file away to treat every timeline as live");
        }
        for (AbandonedTimeline a : c.timelines()) {
            if (a == null || a.timeline() < 2) {
                throw new PitrException(file + " is damaged (an entry names no timeline above 1)", hint(file));
            }
        }
        return new AbandonedTimelines(c.timelines());
    }

    private static Hint hint(Path file) {
        String rest = " so that restores do not follow them; restore it from a copy of the archive, or fix its JSON"
                + " ({\"version\":1,\"timelines\":[{\"timeline\":2,...}]}); moving it away makes every timeline count as live again";
        return Hint.of("it records the timelines thrown away by 'restore rollback'" + rest,
                "it records the timelines thrown away by rolling restores back" + rest);
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse(s);
    }

    /**
     * Adds entries and writes the file atomically (temp file, fsync, rename). An entry for a
     * timeline already recorded replaces the older one. Returns the new record.
     */
    public static AbandonedTimelines record(ArchiveLayout layout, Collection<AbandonedTimeline> added) {
        return updated(layout, now -> {
            Map<Integer, AbandonedTimeline> m = new TreeMap<>(now.byTimeline);
            added.forEach(a -> m.put(a.timeline(), a));
            return new AbandonedTimelines(m.values());
        });
    }

    /** Drops the entries a rollback recorded (when it could not go through after all) and writes the file atomically. */
    public static AbandonedTimelines forget(ArchiveLayout layout, String restoreId) {
        return updated(layout, now -> new AbandonedTimelines(
                now.byTimeline.values().stream().filter(a -> !restoreId.equals(a.restoreId())).toList()));
    }

    /**
     * Read, change and write under a lock of its own, so two rollbacks at once (two processes, or
     * two windows of one console) cannot lose each other's entries. Not the archive lock: a
     * rollback must not wait for a backup that holds it for hours.
     */
    private static AbandonedTimelines updated(ArchiveLayout layout, UnaryOperator<AbandonedTimelines> change) {
        Path lockFile = layout.stateDir().resolve("abandoned-timelines.lock");
        synchronized (AbandonedTimelines.class) {
            try {
                Files.createDirectories(layout.stateDir());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    return write(layout, change.apply(load(layout)));
                }
            } catch (IOException e) {
                throw new PitrException("cannot lock " + lockFile + ": " + e.getMessage(),
                        "check that this user may write to " + layout.stateDir());
            }
        }
    }

    private static AbandonedTimelines write(ArchiveLayout layout, AbandonedTimelines next) {
        Path file = layout.abandonedTimelinesFile();
        try {
            Files.createDirectories(layout.stateDir());
            ObjectMapper json = Json.mapper();
            AtomicFiles.write(file, json.writeValueAsBytes(new Content(VERSION, next.list())));
        } catch (IOException e) {
            throw new PitrException("cannot write " + file + ": " + e.getMessage(),
                    "check that this user may write to " + layout.stateDir());
        }
        return next;
    }

    /** Every entry, by timeline. */
    public List<AbandonedTimeline> list() {
        return byTimeline.values().stream().sorted(Comparator.comparingInt(AbandonedTimeline::timeline)).toList();
    }

    public boolean isAbandoned(int timeline) {
        return byTimeline.containsKey(timeline);
    }

    public Optional<AbandonedTimeline> get(int timeline) {
        return Optional.ofNullable(byTimeline.get(timeline));
    }

    public Set<Integer> timelines() {
        return byTimeline.keySet().stream().collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    public boolean isEmpty() {
        return byTimeline.isEmpty();
    }
}
