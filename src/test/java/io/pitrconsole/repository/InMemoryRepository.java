package io.pitrconsole.repository;

import java.nio.file.Path;

/**
 * A repository held in memory: proves that what runs above the repository interface needs no
 * disk. Its local cache is a directory the test gives (the WAL index cache is a local file by
 * design), or none at all: then the WAL index reads every segment each time and caches nothing.
 */
public final class InMemoryRepository implements Repository {
    private final RepositoryLocation location = RepositoryLocation.of(Path.of("/in-memory"));
    private final MemoryWalStore wal = new MemoryWalStore();
    private final MemoryBackupStore backups = new MemoryBackupStore();
    private final Path localCache;

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
}
