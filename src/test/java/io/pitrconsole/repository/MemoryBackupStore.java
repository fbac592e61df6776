package io.pitrconsole.repository;

/** Backups held in memory. */
public final class MemoryBackupStore implements BackupStore {
}
