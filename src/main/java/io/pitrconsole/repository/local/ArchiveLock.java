package io.pitrconsole.repository.local;

import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ThisHost;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.RepositoryLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may work on an archive at the same time (see {@link LockUse}). Each holder has a file of its own
 * in {@code .pitr/locks/}, locked by the operating system (fcntl) for as long as it holds it. The
 * kernel lets go when the process ends, however it ends, so a file whose lock nobody holds is just
 * left over: it is removed, and no takeover can race with a live holder.
 *
 * <p>A holder's file is locked under a pending name and only then renamed into place, so no file is
 * ever seen unlocked while its holder lives; and every newcomer puts its own file in place before it
 * looks at the others, so of two that start together at least one sees the other. So two
 * conflicting holders never run at once, in any number of processes.
 *
 * <p>Within one process the kernel cannot tell holders apart, and closing any descriptor of a file
 * drops the process's locks on it. So a file of this process is never opened by anyone but its own
 * holder: it counts as held while it exists, and its holder removes it when done. Acquiring in this
 * process happens one at a time (the class monitor), which makes two holders of one console exact.
 * fcntl locks work on local file systems and on NFS with working locking (NFSv4, or v3 with lockd).
 */
public final class ArchiveLock implements RepositoryLock {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLock.class);
    /** Newcomers that meet each other back off and try again; one that came this much before us is settled, not racing. */
    private static final Duration RACING = Duration.ofMillis(250);
    private static final int ATTEMPTS = 6;

    private final Path file;
    private final FileChannel channel;
    private final LockHolder holder;
    private final List<LockHolder> leftOversRemoved;
    private boolean closed;

    private ArchiveLock(Path file, FileChannel channel, LockHolder holder, List<LockHolder> leftOversRemoved) {
        this.file = file;
        this.channel = channel;
        this.holder = holder;
        this.leftOversRemoved = List.copyOf(leftOversRemoved);
    }

    /** Takes the archive's lock for a use, or fails naming who holds a conflicting one and what to do. */
    public static ArchiveLock acquire(ArchiveLayout layout, LockUse use, String operation) {
        List<LockHolder> stale = new ArrayList<>();
        Instant began = Instant.now();
        for (int attempt = 1; ; attempt++) {
            List<LockHolder> conflicts = new ArrayList<>();
            List<LockHolder> legacy = new ArrayList<>();
            ArchiveLock lock = tryAcquire(layout, use, operation, conflicts, legacy, stale);
            if (lock != null) {
                return lock;
            }
            boolean racing = conflicts.stream().allMatch(h -> h.since().isAfter(began.minus(RACING)));
            if (!racing || attempt == ATTEMPTS) {
                throw busy(layout, use, conflicts.get(0), legacy.contains(conflicts.get(0)));
            }
            try {
                // two newcomers that saw each other both stepped back; a random pause lets one go first
                Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy(layout, use, conflicts.get(0), legacy.contains(conflicts.get(0)));
            }
        }
    }

    private static ArchiveLock tryAcquire(ArchiveLayout layout, LockUse use, String operation, List<LockHolder> conflicts, List<LockHolder> legacy,
                                          List<LockHolder> stale) {
        synchronized (ArchiveLock.class) {
            Path dir = layout.lockDir();
            LockName name = LockName.mine(use);
            LockHolder me = new LockHolder(use, name.pid(), ThisHost.name(), operation, Instant.ofEpochMilli(name.sinceMillis()));
            Path pending = dir.resolve(name.base() + LockName.PENDING);
            Path file = dir.resolve(name.base() + LockName.HELD);
            FileChannel channel = null;
            try {
                Files.createDirectories(dir);
                LegacyArchiveLock.check(layout, me.host(), stale, true).filter(h -> use.conflictsWith(h.use())).ifPresent(h -> {
                    conflicts.add(h);
                    legacy.add(h);
                });
                channel = FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
                channel.lock();
                channel.write(ByteBuffer.wrap(Json.mapper().writeValueAsBytes(me)));
                Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
                for (LockHolder other : others(layout, file, stale, true)) {
                    if (use.conflictsWith(other.use())) {
                        conflicts.add(other);
                    }
                }
                if (conflicts.isEmpty()) {
                    return new ArchiveLock(file, channel, me, stale);
                }
                release(file, channel);
                return null;
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    release(file, channel);
                }
                deleteQuietly(pending);
                if (e instanceof PitrException p) {
                    throw p;
                }
                throw new PitrException("cannot lock the archive in " + dir + ": " + e.getMessage(),
                        "check that this user may write to " + dir);
            }
        }
    }

    /** Who holds a lock on the archive right now (processes that ended hold nothing); changes nothing. */
    public static List<LockHolder> holders(ArchiveLayout layout) {
        synchronized (ArchiveLock.class) {
            List<LockHolder> out = new ArrayList<>();
            LegacyArchiveLock.check(layout, ThisHost.name(), new ArrayList<>(), false).ifPresent(out::add);
            if (Files.isDirectory(layout.lockDir())) {
                out.addAll(others(layout, null, new ArrayList<>(), false));
            }
            return out;
        }
    }

    /** LockHolders of files other than mine; files nobody holds are removed (when asked) and added to stale. */
    private static List<LockHolder> others(ArchiveLayout layout, Path mine, List<LockHolder> stale, boolean removeLeftOvers) {
        List<LockHolder> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.lockDir(), "*" + LockName.HELD)) {
            for (Path f : files) {
                if (!f.equals(mine)) {
                    LockName.parse(f.getFileName().toString()).flatMap(n -> probe(f, n, stale, removeLeftOvers)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot read the archive's locks in " + layout.lockDir() + ": " + e.getMessage(),
                    "check that this user may read " + layout.lockDir());
        }
        return out;
    }

    /** The file's holder if its lock is held; empty when nobody holds it. */
    private static Optional<LockHolder> probe(Path f, LockName name, List<LockHolder> stale, boolean removeLeftOvers) {
        if (name.isThisProcess()) {
            // never opened: closing it would drop its holder's lock (see the class comment)
            return Optional.of(name.holder(ThisHost.name()));
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            LockHolder h = read(ch).orElse(name.holder("?"));
            FileLock free;
            try {
                free = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return Optional.of(h);
            }
            if (free == null) {
                return Optional.of(h);
            }
            if (removeLeftOvers && Files.deleteIfExists(f)) {
                LOG.info("removed the archive lock left by process {} ({} since {}), which ended without letting go of it",
                        h.pid(), h.operation(), h.since());
                stale.add(h);
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // unreadable: count it as held rather than run over a holder we cannot see
            return Optional.of(name.holder("?"));
        }
    }

    private static Optional<LockHolder> read(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64 * 1024));
            while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                // fills buf
            }
            return Optional.ofNullable(Json.mapper().readValue(buf.array(), 0, buf.position(), LockHolder.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static PitrException busy(ArchiveLayout layout, LockUse use, LockHolder h, boolean legacy) {
        boolean here = h.pid() == ProcessHandle.current().pid();
        String who = h.operation() + " by process " + h.pid() + (here ? " (this one)" : " on " + h.host()) + " since " + h.since();
        String hint;
        if (h.use() == LockUse.RESTORE) {
            hint = "wait for the restore to finish: it reads the backups and WAL that " + use.label() + " could remove; then run it again";
        } else if (use == LockUse.RESTORE) {
            hint = "wait for the " + h.use().label() + " to finish, then plan the restore again (what it removes may be what this restore needs)";
        } else if (legacy) {
            hint = "wait for it to finish; if no such process runs any more, remove " + layout.lockFile();
        } else {
            hint = "wait for it to finish and run the command again";
        }
        return new PitrException("the archive is busy: " + who, hint);
    }

    /** LockHolders whose process had ended without letting go, found and removed while taking this lock. */
    public List<LockHolder> staleLocksRemoved() {
        return leftOversRemoved;
    }

    public LockHolder holder() {
        return holder;
    }

    private static void release(Path file, FileChannel channel) {
        // removed while still locked, so whoever opens it next finds it gone rather than free
        deleteQuietly(file);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("could not close the archive lock {}: {}", file, e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove the archive lock {}: {}", file, e.getMessage());
        }
    }


    /** Lets go of the lock (the kernel would, too, if this process ended first). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release(file, channel);
        }
    }
}
