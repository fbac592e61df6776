package io.pitrconsole.wal;

import io.pitrconsole.core.FileTrees;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole copies of WAL objects from an archive elsewhere (a bucket), made while a restore's
 * planning indexes them, so that the restore's check of the WAL it replays takes each copy instead
 * of fetching the object a second time. The check still reads every byte of the copy it takes
 * (every record's CRC), and that copy is what the server replays. Only the newest segments the
 * index reads, up to {@link #BUDGET}, are copied (a restore to the latest WAL replays the newest);
 * a copy is kept only when it was read to its end. Private to this process:
 * close removes the directory with whatever was not taken.
 */
public final class WalCopies implements AutoCloseable {
    /** At most this much WAL is copied: as much as the restore's check keeps for the server. */
    static final long BUDGET = 1L << 30;
    private static final String PREFIX = ".wal-copies-";
    private static final Logger LOG = LoggerFactory.getLogger(WalCopies.class);

    private final Optional<Path> dir;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Map<String, Path> copies = new ConcurrentHashMap<>();
    private boolean created;

    private WalCopies(Optional<Path> dir) {
        this.dir = dir;
    }

    /** Copies kept in a new directory under {@code parent} (a repository's local cache); none when it is null. */
    public static WalCopies under(Path parent) {
        return new WalCopies(Optional.ofNullable(parent)
                .map(p -> p.resolve(PREFIX + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 30))));
    }

    /** Keeps nothing: every reader fetches for itself. */
    public static WalCopies none() {
        return new WalCopies(Optional.empty());
    }

    /** False for {@link #none()}. */
    boolean enabled() {
        return dir.isPresent();
    }

    /** The copy made of the archive's file {@code name}, still here to be read (not handed over). */
    Optional<Path> made(String name) {
        return Optional.ofNullable(copies.get(name));
    }

    /**
     * Of the files about to be read (in order), the newest that fit the budget are copied whole. A
     * second pass (planning that indexes older WAL after the newest) gets only what the first left of
     * the budget: the first pass's files are the newer ones, which a restore is likelier to replay.
     */
    synchronized void choose(List<String> names, long segmentSize) {
        if (dir.isEmpty()) {
            return;
        }
        int n = (int) Math.min(names.size(), Math.max(0, BUDGET / Math.max(1, segmentSize) - wanted.size()));
        wanted.addAll(names.subList(names.size() - n, names.size()));
    }

    /**
     * Fetches the object whole into the directory, for readers to map; empty when it is not one
     * to copy or the copy failed (readers stream it then, as without copies).
     */
    Optional<Path> copy(WalStore store, String name) {
        if (!wanted.contains(name) || !ensureDir()) {
            return Optional.empty();
        }
        Path d = dir.orElseThrow();
        Path part = d.resolve("." + name + ".part");
        Path done = d.resolve(name);
        try (InputStream in = store.open(name)) {
            // exactly what a stream of it gives a reader (an encrypted archive's file decrypted, so not its listed
            // size): the readers judge its length as they would the stream's
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            copies.put(name, done);
            return Optional.of(done);
        } catch (IOException | RuntimeException e) {
            LOG.debug("not copying {}: {}", name, e.toString());
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the directory goes as a whole at close
            }
            return Optional.empty();
        }
    }

    private synchronized boolean ensureDir() {
        if (created) {
            return true;
        }
        try {
            Path d = dir.orElseThrow();
            Files.createDirectories(d.getParent());
            removeLeftBehind(d.getParent());
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            created = true;
            return true;
        } catch (IOException e) {
            LOG.debug("no WAL copies: {}", e.toString());
            return false;
        }
    }

    /** What a process killed before it closed its copies left: a folder of a process id that no longer runs goes. */
    private static void removeLeftBehind(Path parent) {
        try (var found = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : found) {
                String[] parts = p.getFileName().toString().substring(PREFIX.length()).split("-");
                boolean running = parts.length == 2 && parts[0].matches("\\d{1,18}")
                        && ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
                if (!running) {
                    FileTrees.deleteRecursively(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not look for WAL copies left behind in {}: {}", parent, e.toString());
        }
    }

    /** The copy of the archive's file {@code name}, handed over to the caller (who moves or removes it); empty when none was made. */
    public Optional<Path> take(String name) {
        return Optional.ofNullable(copies.remove(name)).filter(Files::isRegularFile);
    }

    /** How many copies are waiting to be taken. */
    public int waiting() {
        return copies.size();
    }

    /** Removes the directory and every copy not taken. */
    @Override
    public synchronized void close() {
        copies.clear();
        if (!created) {
            return;
        }
        try {
            FileTrees.deleteRecursively(dir.orElseThrow());
        } catch (IOException e) {
            LOG.warn("could not remove the WAL copies in {}: {}", dir.orElseThrow(), e.getMessage());
        }
    }
}
