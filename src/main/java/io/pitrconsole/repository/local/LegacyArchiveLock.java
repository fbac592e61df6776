package io.pitrconsole.repository.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The single {@code .pitr/lock} file of earlier versions: a JSON holder with no operating-system
 * lock behind it. One whose process is gone is left over and removed; one naming a live process
 * on this host that started before the lock was taken is an older version at work, and is honoured.
 */
final class LegacyArchiveLock {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(long pid, String host, String operation, Instant since) {
    }

    private LegacyArchiveLock() {
    }

    /** The live holder the old file names, if any; a left-over file is removed and added to stale. */
    static Optional<LockHolder> check(ArchiveLayout layout, String thisHost, List<LockHolder> stale, boolean removeLeftOver) {
        Path file = layout.lockFile();
        Optional<LockHolder> named;
        try {
            named = Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            named = Optional.empty();
        }
        if (named.isPresent() && isAlive(named.get(), thisHost)) {
            return named;
        }
        if (removeLeftOver) {
            try {
                if (Files.deleteIfExists(file)) {
                    stale.add(named.orElse(new LockHolder(LockUse.BACKUP, -1, "?", "unknown (unreadable lock file)", Instant.EPOCH)));
                }
            } catch (IOException e) {
                // the next holder tries again; the file blocks nobody
            }
        }
        return Optional.empty();
    }

    private static LockHolder read(Path file) throws IOException {
        Content c = Json.mapper().readValue(Files.readAllBytes(file), Content.class);
        if (c == null || c.host() == null || c.operation() == null || c.since() == null) {
            throw new IOException("incomplete");
        }
        LockUse use = c.operation().startsWith("backup create") ? LockUse.BACKUP
                : c.operation().startsWith("backup delete") ? LockUse.DELETE : LockUse.CLEANUP;
        return new LockHolder(use, c.pid(), c.host(), c.operation(), c.since());
    }

    /** Another host's process cannot be checked from here: it counts as alive, as it always did. */
    private static boolean isAlive(LockHolder h, String thisHost) {
        if (!h.host().equals(thisHost)) {
            return true;
        }
        return ProcessHandle.of(h.pid()).filter(ProcessHandle::isAlive)
                // a process started after the lock was taken only reuses the pid of the one that took it
                .map(p -> p.info().startInstant().map(start -> !start.isAfter(h.since().plusSeconds(1))).orElse(true))
                .orElse(false);
    }
}
