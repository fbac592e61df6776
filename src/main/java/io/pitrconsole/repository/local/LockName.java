package io.pitrconsole.repository.local;

import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The name of one holder's file in .pitr/locks: use, process id, the process's start, when the
 * hold began and a random part ({@code backup.4711.1764870000000.1764871234567.9f0c...}). The name
 * alone says whether a file belongs to this very process (same pid and same start, so a reused pid
 * is not mistaken for us), which must be known without opening it.
 */
record LockName(LockUse use, long pid, long processStart, long sinceMillis, String random) {
    static final String HELD = ".lock";
    static final String PENDING = ".tmp";

    /** A fresh name for a hold that begins now in this process. */
    static LockName mine(LockUse use) {
        return new LockName(use, ProcessHandle.current().pid(), thisProcessStart(), System.currentTimeMillis(),
                UUID.randomUUID().toString().replace("-", ""));
    }

    /** The name of a held lock file; empty for any other file (a pending one, or a stranger). */
    static Optional<LockName> parse(String fileName) {
        if (!fileName.endsWith(HELD)) {
            return Optional.empty();
        }
        String[] p = fileName.substring(0, fileName.length() - HELD.length()).split("\\.");
        if (p.length != 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockName(LockUse.valueOf(p[0].toUpperCase(Locale.ROOT)), Long.parseLong(p[1]), Long.parseLong(p[2]),
                    Long.parseLong(p[3]), p[4]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String base() {
        return use.name().toLowerCase(Locale.ROOT) + "." + pid + "." + processStart + "." + sinceMillis + "." + random;
    }

    boolean isThisProcess() {
        return pid == ProcessHandle.current().pid() && processStart == thisProcessStart();
    }

    /** What the name alone tells of its holder (the file's content adds the host and the exact operation). */
    LockHolder holder(String host) {
        return new LockHolder(use, pid, host, use.label(), Instant.ofEpochMilli(sinceMillis));
    }

    private static long thisProcessStart() {
        return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
