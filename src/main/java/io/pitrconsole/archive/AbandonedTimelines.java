package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import java.io.IOException;
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
    public static AbandonedTimelines load(Repository repository) {
        String file = repository.where(RepositoryDocument.ABANDONED_TIMELINES);
        try {
            return parse(repository.read(RepositoryDocument.ABANDONED_TIMELINES), file);
        } catch (IOException e) {
            throw new PitrException("cannot read " + file + ": " + e.getMessage(), hint(file));
        }
    }

    private static AbandonedTimelines parse(Optional<byte[]> stored, String file) {
        if (stored.isEmpty()) {
            return none();
        }
        byte[] bytes = stored.get();
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

    private static Hint hint(String file) {
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
    public static AbandonedTimelines record(Repository repository, Collection<AbandonedTimeline> added) {
        return updated(repository, now -> {
            Map<Integer, AbandonedTimeline> m = new TreeMap<>(now.byTimeline);
            added.forEach(a -> m.put(a.timeline(), a));
            return new AbandonedTimelines(m.values());
        });
    }

    /** Drops the entries a rollback recorded (when it could not go through after all) and writes the file atomically. */
    public static AbandonedTimelines forget(Repository repository, String restoreId) {
        return updated(repository, now -> new AbandonedTimelines(
                now.byTimeline.values().stream().filter(a -> !restoreId.equals(a.restoreId())).toList()));
    }

    /**
     * Read, change and write as one step of the repository's, so two rollbacks at once (two
     * processes, or two windows of one console) cannot lose each other's entries.
     */
    private static AbandonedTimelines updated(Repository repository, UnaryOperator<AbandonedTimelines> change) {
        String file = repository.where(RepositoryDocument.ABANDONED_TIMELINES);
        AbandonedTimelines[] next = new AbandonedTimelines[1];
        try {
            repository.update(RepositoryDocument.ABANDONED_TIMELINES, stored -> {
                next[0] = change.apply(parse(stored, file));
                try {
                    return Json.mapper().writeValueAsBytes(new Content(VERSION, next[0].list()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PitrException("cannot write " + file + ": " + e.getMessage(),
                    "check that this user may write to " + java.nio.file.Path.of(file).getParent());
        }
        return next[0];
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
