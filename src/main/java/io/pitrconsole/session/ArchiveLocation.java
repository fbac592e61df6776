package io.pitrconsole.session;

import io.pitrconsole.repository.Repository;

/**
 * Where one cluster profile's backups and WAL live. Opened only when a service needs it, so a
 * verb that works without an archive never fails for want of one; each face says in its own
 * words what to do when none is set.
 */
@FunctionalInterface
public interface ArchiveLocation {
    /** The archive's repository; a PitrException with a hint when none is configured or it cannot be read. */
    Repository open();
}
