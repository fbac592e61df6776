package io.pitrconsole.repository;

import java.time.Instant;

/**
 * A temporary file a killed writer left in a repository (an archive_command script killed while
 * copying a segment, or an atomic write that never got to its rename).
 *
 * @param name where it is, relative to the repository (wal_archive/.000000010000000000000003.tmp.4711)
 */
public record LeftoverFile(String name, long bytes, Instant modified) {

    /** Its own name, without the directories it is in. */
    public String fileName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
