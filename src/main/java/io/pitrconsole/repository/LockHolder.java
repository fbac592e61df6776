package io.pitrconsole.repository;

import java.time.Instant;

/** Who holds a repository's lock: for what, which process on which host, since when. */
public record LockHolder(LockUse use, long pid, String host, String operation, Instant since) {
}
