package io.pitrconsole.repository.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ThisHost;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.RepositoryLock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lock of a bucket repository: one object per holder under PREFIX/.pitr/locks/, holding who
 * it is. A taker writes its object, then lists again and backs off when a conflicting holder is
 * there too: two takers that race may both fail, never both succeed (S3 lists what was written
 * before). A bucket cannot tell that a process on another machine ended: such a holder's object
 * stays until it is removed by hand; one of this machine's ended processes is removed as stale.
 */
final class S3Lock implements RepositoryLock {
    private static final Logger LOG = LoggerFactory.getLogger(S3Lock.class);
    static final String FOLDER = ".pitr/locks";

    private final S3Objects objects;
    private final String name;
    private final LockHolder holder;
    private final List<LockHolder> staleRemoved;
    private boolean closed;

    private S3Lock(S3Objects objects, String name, LockHolder holder, List<LockHolder> staleRemoved) {
        this.objects = objects;
        this.name = name;
        this.holder = holder;
        this.staleRemoved = staleRemoved;
    }

    static RepositoryLock acquire(S3Objects objects, LockUse use, String operation) {
        long pid = ProcessHandle.current().pid();
        Instant since = Instant.now();
        LockHolder me = new LockHolder(use, pid, ThisHost.name(), operation, since);
        String name = FOLDER + "/" + use.name().toLowerCase(java.util.Locale.ROOT) + "-" + me.host() + "-" + pid + "-" + System.nanoTime() + ".json";
        List<LockHolder> stale = new ArrayList<>();
        conflict(objects, me, null, stale).ifPresent(h -> {
            throw busy(objects, h);
        });
        objects.put(name, json(me));
        Optional<Held> raced = conflict(objects, me, name, stale);
        if (raced.isPresent()) {
            objects.delete(name);
            throw busy(objects, raced.get());
        }
        return new S3Lock(objects, name, me, List.copyOf(stale));
    }

    static List<LockHolder> holders(S3Objects objects) {
        List<LockHolder> out = new ArrayList<>();
        for (Held h : read(objects)) {
            if (!h.endedHere()) {
                out.add(h.holder());
            }
        }
        return out;
    }

    private record Held(String name, LockHolder holder) {
        boolean endedHere() {
            return holder.host().equals(ThisHost.name()) && ProcessHandle.of(holder.pid()).map(p -> !p.isAlive()).orElse(true);
        }
    }

    private static Optional<Held> conflict(S3Objects objects, LockHolder me, String mine, List<LockHolder> stale) {
        for (Held h : read(objects, mine)) {
            if (h.endedHere()) {
                objects.delete(h.name());
                if (!stale.contains(h.holder())) {
                    stale.add(h.holder());
                }
                continue;
            }
            if (me.use().conflictsWith(h.holder().use())) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    private static List<Held> read(S3Objects objects) {
        return read(objects, null);
    }

    /** The lock objects and their holders; {@code mine} (just written) is not read back. */
    private static List<Held> read(S3Objects objects, String mine) {
        String folder = objects.key(FOLDER) + "/";
        List<Held> out = new ArrayList<>();
        for (S3Object o : objects.list(FOLDER)) {
            String name = FOLDER + "/" + o.key().substring(folder.length());
            if (name.equals(mine)) {
                continue;
            }
            try {
                Optional<byte[]> content = objects.read(name);
                if (content.isPresent()) {
                    out.add(new Held(name, Json.mapper().readValue(content.get(), LockHolder.class)));
                }
            } catch (IOException unreadable) {
                LOG.warn("ignoring unreadable lock object {}: {}", objects.uri(name), unreadable.getMessage());
            }
        }
        return out;
    }

    private static PitrException busy(S3Objects objects, Held h) {
        LockHolder holder = h.holder();
        String who = holder.operation() + " by process " + holder.pid() + " on " + holder.host() + " since " + holder.since();
        return new PitrException("the archive is busy: " + who,
                "wait for it to finish and run the command again; if that process is gone, remove " + objects.uri(h.name()));
    }

    private static byte[] json(LockHolder holder) {
        try {
            return Json.mapper().writeValueAsBytes(holder);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


    @Override
    public LockHolder holder() {
        return holder;
    }

    @Override
    public List<LockHolder> staleLocksRemoved() {
        return staleRemoved;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                objects.delete(name);
            } catch (PitrException e) {
                LOG.warn("could not remove the lock {}: {}", objects.uri(name), e.getMessage());
            }
        }
    }
}
