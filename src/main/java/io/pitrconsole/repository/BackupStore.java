package io.pitrconsole.repository;

/** The backups of a repository: their catalog records and their files. */
public interface BackupStore {
}
