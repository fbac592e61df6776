package io.pitrconsole.recovery.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ThisHost;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The journal of a restore in progress, so that a restore whose process died (kill -9, power cut)
 * can still be undone. In place it lives beside the data directory ({@code D.pitr-journal.json},
 * on the same file system as the directories moved aside, so it survives whatever happens to D);
 * a rehearsal's lives in its sandbox. The archive's {@code .pitr/journals/ID.json} points at it,
 * so the next restore of the archive finds every unresolved one. Written atomically before the
 * first destructive step and at every step after; removed once the restore ended and cleaned up.
 */
public final class RestoreJournal {
    static final int VERSION = 1;
    static final String SANDBOX_FILE = "pitr-journal.json";

    /** The process that runs the restore; a journal whose owner is gone belongs to an interrupted restore. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Owner(long pid, String host, Instant processStart) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), ThisHost.name(), self.info().startInstant().orElse(null));
        }

        /** False only when this host can tell the process is gone (or its pid now names another process). */
        boolean alive() {
            if (host != null && !host.equals(ThisHost.name())) {
                return true;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return false;
            }
            Optional<Instant> start = h.get().info().startInstant();
            return processStart == null || start.isEmpty()
                    || Duration.between(start.get(), processStart).abs().compareTo(Duration.ofSeconds(2)) < 0;
        }
    }

    /**
     * What the journal holds.
     *
     * @param movedAside in place: each original directory and where it goes aside, recorded before the rename
     * @param wasRunning in place: a server ran on the data directory before the restore stopped it
     * @param step       the newest step begun ("... done" once finished)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(int version, String restoreId, RestoreMode mode, String dataDirectory, String sandbox, String backup, String target,
                 RecoveryTarget targetDetail, String serverLog, Integer port, boolean wasRunning, Map<String, String> movedAside,
                 String step, List<String> steps, Owner owner, Instant startedAt, Instant updatedAt) {
        public Entry {
            movedAside = movedAside == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(movedAside));
            steps = steps == null ? List.of() : List.copyOf(steps);
        }

        Entry at(String newStep) {
            List<String> s = new ArrayList<>(steps);
            s.add(Instant.now() + " " + newStep);
            return new Entry(version, restoreId, mode, dataDirectory, sandbox, backup, target, targetDetail, serverLog, port, wasRunning,
                    movedAside, newStep, s, owner, startedAt, Instant.now());
        }

        Entry movingAside(Map<String, String> moves) {
            return new Entry(version, restoreId, mode, dataDirectory, sandbox, backup, target, targetDetail, serverLog, port, wasRunning,
                    moves, step, steps, owner, startedAt, Instant.now()).at("moving aside " + moves);
        }

        Entry ownedByThisProcess() {
            return new Entry(version, restoreId, mode, dataDirectory, sandbox, backup, target, targetDetail, serverLog, port, wasRunning,
                    movedAside, step, steps, Owner.current(), startedAt, Instant.now());
        }

        boolean inPlace() {
            return mode == RestoreMode.IN_PLACE;
        }
    }

    /** The archive's note that a restore is under way, naming its journal. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Pointer(String restoreId, RestoreMode mode, String journal, String dataDirectory, Owner owner) {
    }

    /** A journal found on disk, with where it lives. */
    public record Found(Path file, Entry entry) {
    }

    private final Repository repository;
    private final Path file;
    private Entry entry;

    private RestoreJournal(Repository repository, Path file, Entry entry) {
        this.repository = repository;
        this.file = file;
        this.entry = entry;
    }

    /** Where an in-place restore of dataDir keeps its journal. */
    static Path inPlaceFile(Path dataDir) {
        Path d = dataDir.toAbsolutePath().normalize();
        return d.resolveSibling(d.getFileName() + ".pitr-journal.json");
    }

    /** How long a torn pointer temp may still be a live writer's (it is written in one call, then synced). */
    private static final java.time.Duration TORN_TEMP_AGE = java.time.Duration.ofMinutes(1);

    static Path pointersDir(Repository repository) {
        return repository.localCache().resolve("journals");
    }

    /** Starts a journal: the archive's pointer first, then the journal itself, so neither can exist unannounced. */
    static RestoreJournal open(Repository repository, Path file, Entry first) {
        RestoreJournal j = new RestoreJournal(repository, file, first.at("started"));
        try {
            Files.createDirectories(pointersDir(repository));
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(pointersDir(repository).resolve(first.restoreId() + ".json"), Json.mapper().writeValueAsBytes(
                    new Pointer(first.restoreId(), first.mode(), file.toString(), first.dataDirectory(), first.owner())));
        } catch (IOException e) {
            throw new PitrException("cannot write the restore journal's entry in " + pointersDir(repository) + ": " + e.getMessage(),
                    "check that the archive is writable; nothing was changed");
        }
        j.write();
        return j;
    }

    /** Takes over an existing journal (a rollback of an interrupted restore), recording this process as its owner. */
    static RestoreJournal resume(Repository repository, Found found) {
        RestoreJournal j = new RestoreJournal(repository, found.file(), found.entry().ownedByThisProcess());
        j.write();
        return j;
    }

    Entry entry() {
        return entry;
    }

    Path file() {
        return file;
    }

    /** Records the step about to begin (or just finished). */
    void step(String step) {
        entry = entry.at(step);
        write();
    }

    /** Records, before any rename, which directories go where. */
    void movingAside(Map<Path, Path> moves) {
        Map<String, String> m = new LinkedHashMap<>();
        moves.forEach((from, to) -> m.put(from.toString(), to.toString()));
        entry = entry.movingAside(m);
        write();
    }

    /** The restore ended and cleaned up after itself (or was rolled back): nothing is left to resolve. */
    void close() {
        try {
            Files.deleteIfExists(file);
            AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
            Path pointer = pointersDir(repository).resolve(entry.restoreId() + ".json");
            Files.deleteIfExists(pointer);
            // a writer killed mid-write leaves its temp file; the restore is over, so no writer of these is alive
            AtomicFiles.removeAbandonedTemps(file);
            AtomicFiles.removeAbandonedTemps(pointer);
        } catch (IOException e) {
            throw new PitrException("cannot remove the restore journal " + file + ": " + e.getMessage(),
                    "the restore itself ended; remove the file by hand");
        }
    }

    private void write() {
        try {
            AtomicFiles.write(file, Json.mapper().writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new PitrException("cannot write the restore journal " + file + ": " + e.getMessage(),
                    "check free space and permissions beside " + file.getParent());
        }
    }

    /** Reads a journal; empty when there is none. A damaged one is an error, never "no journal". */
    static Optional<Entry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PitrException("cannot read the restore journal " + file + ": " + e.getMessage(), "check its permissions");
        }
        try {
            Entry e = Json.mapper().readValue(bytes, Entry.class);
            if (e == null || e.restoreId() == null || e.mode() == null) {
                throw new IOException("no restore id or mode");
            }
            return Optional.of(e);
        } catch (IOException e) {
            throw new PitrException("the restore journal " + file + " is damaged (" + e.getMessage().lines().findFirst().orElse("") + ")",
                    "it records an interrupted restore; put the directories named *.pitr-old-* back by hand, then remove it");
        }
    }

    /**
     * Every journal the archive points at that still exists, plus the in-place journal of dataDir
     * when given (found even when the archive's pointer is gone). Pointers whose journal is gone
     * are stale (the process died before writing it, or after removing it) and are removed.
     */
    static List<Found> unresolved(Repository repository, Optional<Path> dataDir) {
        Map<Path, Found> out = new LinkedHashMap<>();
        Path dir = pointersDir(repository);
        if (Files.isDirectory(dir)) {
            List<Path> pointers;
            try (Stream<Path> s = Files.list(dir)) {
                pointers = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            } catch (IOException e) {
                throw new PitrException("cannot read " + dir + ": " + e.getMessage(), "check the archive's permissions");
            }
            for (Path p : pointers) {
                Pointer ptr;
                try {
                    ptr = Json.mapper().readValue(p.toFile(), Pointer.class);
                } catch (IOException e) {
                    throw new PitrException(p + " is damaged (" + e.getMessage().lines().findFirst().orElse("") + ")",
                            "it names the journal of a restore that may have been interrupted; look for *.pitr-journal.json beside the data directory");
                }
                Path journal = Path.of(ptr.journal());
                Optional<Entry> e = read(journal);
                if (e.isPresent()) {
                    out.put(journal, new Found(journal, e.get()));
                } else if (ptr.owner() == null || !ptr.owner().alive()) {
                    // Stale: its restore died before writing the journal, or after removing it. A live
                    // owner may be writing its journal this very moment.
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // a stale pointer is harmless; the next look removes it
                    }
                }
            }
        }
        removeAbandonedPointerTemps(dir);
        dataDir.map(RestoreJournal::inPlaceFile).ifPresent(f -> read(f).ifPresent(e -> out.putIfAbsent(f, new Found(f, e))));
        return List.copyOf(out.values());
    }

    /**
     * A restore killed while writing its pointer leaves only the pointer's temp file: no pointer and
     * no journal, so no close() ever takes it. The temp names its owner; a restore starting right now
     * is alive and keeps its own. A torn temp (killed before its bytes were written) goes once no
     * writer could still be filling it.
     */
    private static void removeAbandonedPointerTemps(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> temps;
        try (Stream<Path> s = Files.list(dir)) {
            temps = s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException e) {
            return; // the pointers themselves were just listed; a temp left now is taken next time
        }
        for (Path t : temps) {
            try {
                boolean abandoned;
                try {
                    Pointer ptr = Json.mapper().readValue(t.toFile(), Pointer.class);
                    abandoned = ptr.owner() == null || !ptr.owner().alive();
                } catch (IOException torn) {
                    abandoned = Files.getLastModifiedTime(t).toInstant().isBefore(Instant.now().minus(TORN_TEMP_AGE));
                }
                if (abandoned) {
                    Files.deleteIfExists(t);
                }
            } catch (IOException ignored) {
                // gone already, or not ours to remove: harmless, and looked at again next time
            }
        }
    }

}
