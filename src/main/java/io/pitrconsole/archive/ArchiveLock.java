package io.pitrconsole.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per archive at a time. The lock is a small JSON file naming the process that holds
 * it, created atomically by hard-linking a fully written temp file (so no reader ever sees a
 * half-written lock). A lock whose process is gone (same host) is stale: it is reported and
 * taken over.
 */
public final class ArchiveLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLock.class);

    /** What the lock file says. */
    public record Holder(long pid, String host, String operation, Instant since) {
    }

    private final Path file;
    private final Holder holder;
    private final Optional<Holder> staleTakenOver;

    private ArchiveLock(Path file, Holder holder, Optional<Holder> staleTakenOver) {
        this.file = file;
        this.holder = holder;
        this.staleTakenOver = staleTakenOver;
    }

    /** Takes the archive's lock for an operation or fails naming who holds it. */
    public static ArchiveLock acquire(ArchiveLayout layout, String operation) {
        ObjectMapper json = Json.mapper();
        Path file = layout.lockFile();
        Holder me = new Holder(ProcessHandle.current().pid(), hostName(), operation, Instant.now());
        Optional<Holder> stale = Optional.empty();
        try {
            Files.createDirectories(layout.stateDir());
            for (int attempt = 0; attempt < 3; attempt++) {
                Path tmp = Files.createTempFile(layout.stateDir(), "lock.", ".tmp");
                try {
                    Files.write(tmp, json.writeValueAsBytes(me));
                    Files.createLink(file, tmp);
                    return new ArchiveLock(file, me, stale);
                } catch (FileAlreadyExistsException e) {
                    Optional<Holder> other = readHolder(json, file);
                    if (other.isPresent() && isAlive(other.get())) {
                        Holder h = other.get();
                        throw new PitrException("the archive is busy: " + h.operation() + " by process " + h.pid()
                                + " on " + h.host() + " since " + h.since(),
                                "wait for it to finish; if no such process runs any more, remove " + file);
                    }
                    stale = other.or(() -> Optional.of(new Holder(-1, "?", "unknown (unreadable lock file)", Instant.EPOCH)));
                    LOG.warn("found a stale archive lock from process {} ({} since {}), which is no longer running; taking it over",
                            stale.get().pid(), stale.get().operation(), stale.get().since());
                    Files.deleteIfExists(file);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot lock the archive at " + file + ": " + e.getMessage(),
                    "check that this user may write to " + layout.stateDir());
        }
        throw new PitrException("could not take the archive lock " + file + " after several tries",
                "another process keeps taking it; run the command again");
    }

    /** The holder this process replaced because its process had died, if any. */
    public Optional<Holder> staleLockTakenOver() {
        return staleTakenOver;
    }

    /** Who holds the lock right now, if anyone alive does. */
    public static Optional<Holder> currentHolder(ArchiveLayout layout) {
        return readHolder(Json.mapper(), layout.lockFile()).filter(ArchiveLock::isAlive);
    }

    private static Optional<Holder> readHolder(ObjectMapper json, Path file) {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), Holder.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isAlive(Holder h) {
        if (!h.host().equals(hostName())) {
            return true;
        }
        return ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        try {
            Optional<Holder> now = readHolder(Json.mapper(), file);
            if (now.isPresent() && now.get().pid() == holder.pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("could not remove archive lock {}: {}", file, e.getMessage());
        }
    }
}
