package io.pitrconsole.repository.local;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.repository.BackupStore;

/** The backup_* directories of a local archive directory. */
final class LocalBackupStore implements BackupStore {
    private final ArchiveLayout layout;

    LocalBackupStore(ArchiveLayout layout) {
        this.layout = layout;
    }
}
