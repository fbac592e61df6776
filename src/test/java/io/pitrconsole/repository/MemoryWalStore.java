package io.pitrconsole.repository;

/** WAL files held in memory. */
public final class MemoryWalStore implements WalStore {
}
