package io.pitrconsole.repository.local;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.WalStore;
import java.nio.file.Path;

/**
 * A repository in a local (or mounted) directory, in the original scripts' layout: one
 * backup_YYYYMMDD_HHMMSS directory per base backup, wal_archive/, backup_metadata.json,
 * backup_schedule.json and .pitr/ for caches, locks and reports.
 */
public final class LocalDirectoryRepository implements Repository {
    private final RepositoryLocation location;
    private final ArchiveLayout layout;
    private final LocalWalStore wal;
    private final LocalBackupStore backups;

    public LocalDirectoryRepository(RepositoryLocation location) {
        this.location = location;
        this.layout = new ArchiveLayout(location.directory());
        this.wal = new LocalWalStore(layout);
        this.backups = new LocalBackupStore(layout);
    }

    public static LocalDirectoryRepository at(Path directory) {
        return new LocalDirectoryRepository(RepositoryLocation.of(directory));
    }

    @Override
    public RepositoryLocation location() {
        return location;
    }

    @Override
    public WalStore wal() {
        return wal;
    }

    @Override
    public BackupStore backups() {
        return backups;
    }

    @Override
    public Path localCache() {
        return layout.stateDir();
    }

    /**
     * The directory layout, for code not yet moved behind the repository interface.
     * @deprecated to be removed once every caller uses {@link Repository}
     */
    @Deprecated
    public ArchiveLayout layout() {
        return layout;
    }
}
