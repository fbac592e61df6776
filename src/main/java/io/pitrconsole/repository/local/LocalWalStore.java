package io.pitrconsole.repository.local;

import io.pitrconsole.repository.WalStore;

/** wal_archive/ of a local archive directory. */
final class LocalWalStore implements WalStore {
    private final ArchiveLayout layout;

    LocalWalStore(ArchiveLayout layout) {
        this.layout = layout;
    }
}
