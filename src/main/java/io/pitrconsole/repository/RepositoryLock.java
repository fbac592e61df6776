package io.pitrconsole.repository;

import java.util.List;

/** A held lock on a repository (see {@link LockUse} for who excludes whom); closing lets go. */
public interface RepositoryLock extends AutoCloseable {

    /** Who holds it: this process, for the use and operation it was taken for. */
    LockHolder holder();

    /** Holders whose process had ended without letting go, found and removed while taking this lock. */
    List<LockHolder> staleLocksRemoved();

    @Override
    void close();
}
