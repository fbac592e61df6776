package io.pitrconsole.repository;

/** The WAL archive of a repository: what the server's archive_command put there, read and listed. */
public interface WalStore {
}
