package io.pitrconsole.repository;

import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A repository held in memory: proves that what runs above the repository interface needs no
 * disk. Its local cache is a directory the test gives (the WAL index cache is a local file by
 * design), or none at all: then the WAL index reads every segment each time and caches nothing.
 */
public final class InMemoryRepository implements Repository {
    private final RepositoryLocation location = RepositoryLocation.of(Path.of("/in-memory"));
    private final MemoryWalStore wal = new MemoryWalStore();
    private final MemoryBackupStore backups = new MemoryBackupStore();
    private final Map<RepositoryDocument, byte[]> documents = new ConcurrentHashMap<>();
    private final Path localCache;
    private final List<LockHolder> held = new ArrayList<>();

    public InMemoryRepository(Path localCache) {
        this.localCache = localCache;
    }

    /** Without a local cache. */
    public InMemoryRepository() {
        this(null);
    }

    @Override
    public RepositoryLocation location() {
        return location;
    }

    @Override
    public MemoryWalStore wal() {
        return wal;
    }

    @Override
    public MemoryBackupStore backups() {
        return backups;
    }

    /** The test's cache directory, or null for none. */
    @Override
    public Path localCache() {
        return localCache;
    }

    @Override
    public void requireReadable() {
        // always there
    }

    @Override
    public void requireWritable() {
        // always writable
    }

    @Override
    public synchronized RepositoryLock lock(LockUse use, String operation) {
        for (LockHolder h : held) {
            if (use.conflictsWith(h.use())) {
                throw new PitrException("the repository is busy: " + h.operation() + " holds it", "wait until it has finished");
            }
        }
        LockHolder me = new LockHolder(use, ProcessHandle.current().pid(), "localhost", operation, Instant.now());
        held.add(me);
        return new RepositoryLock() {
            @Override
            public LockHolder holder() {
                return me;
            }

            @Override
            public List<LockHolder> staleLocksRemoved() {
                return List.of();
            }

            @Override
            public void close() {
                synchronized (InMemoryRepository.this) {
                    held.remove(me);
                }
            }
        };
    }

    @Override
    public synchronized List<LockHolder> holders() {
        return List.copyOf(held);
    }

    @Override
    public List<LeftoverFile> leftovers(Instant now) {
        return List.of(); // nothing here is written through temporary files
    }

    @Override
    public void removeLeftover(String name) throws java.nio.file.NoSuchFileException {
        throw new java.nio.file.NoSuchFileException(name);
    }

    @Override
    public Optional<byte[]> read(RepositoryDocument document) {
        return Optional.ofNullable(documents.get(document)).map(byte[]::clone);
    }

    @Override
    public void write(RepositoryDocument document, byte[] content) {
        documents.put(document, content.clone());
    }

    @Override
    public synchronized byte[] update(RepositoryDocument document, Function<Optional<byte[]>, byte[]> change) {
        byte[] next = change.apply(read(document));
        write(document, next);
        return next;
    }

    @Override
    public String where(RepositoryDocument document) {
        return "memory:" + document.name().toLowerCase(java.util.Locale.ROOT);
    }
}
