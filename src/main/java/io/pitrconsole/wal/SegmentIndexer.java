package io.pitrconsole.wal;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Gets a SegmentInfo for every archived segment: from the cache when still valid, else by reading it. */
final class SegmentIndexer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SegmentIndexer.class);
    private static final int REMOTE_THREADS = 6;

    record Result(List<SegmentInfo> segments, List<SegmentCache.Entry> entries, int readCount, boolean changed) {
    }

    private final SegmentCache cache;
    private final WalSegmentReader.Checks checks;
    private final ProgressListener progress;
    private final Cancellation cancel;
    private final WalCopies copies;

    /** With {@link WalSegmentReader.Checks#FULL} every segment is read again, cached or not. */
    SegmentIndexer(SegmentCache cache, WalSegmentReader.Checks checks, ProgressListener progress, Cancellation cancel) {
        this(cache, checks, progress, cancel, WalCopies.none());
    }

    /** Like the other constructor; segments read from an archive elsewhere are fetched whole into {@code copies} when it wants them. */
    SegmentIndexer(SegmentCache cache, WalSegmentReader.Checks checks, ProgressListener progress, Cancellation cancel, WalCopies copies) {
        this.copies = copies;
        this.cache = cache;
        this.checks = checks;
        this.progress = progress;
        this.cancel = cancel;
    }

    Result index(List<ArchivedSegmentFile> files) {
        return index(files, f -> true);
    }

    /**
     * Like {@link #index(List)}, but only the files {@code wanted} accepts are summarised (read
     * when not cached); the cache entries of the others are kept as they are, unread.
     */
    Result index(List<ArchivedSegmentFile> all, Predicate<ArchivedSegmentFile> wanted) {
        Map<WalSegmentName, ArchivedSegmentFile> byName = new HashMap<>();
        all.forEach(f -> byName.put(f.name(), f));
        List<ArchivedSegmentFile> files = all.stream().filter(wanted).toList();
        List<SegmentCache.Entry> carried = new ArrayList<>();
        for (ArchivedSegmentFile f : all) {
            if (!wanted.test(f)) {
                Optional<ArchivedSegmentFile> next = Optional.ofNullable(byName.get(f.name().next()));
                cache.lookup(f, next).ifPresent(s -> carried.add(SegmentCache.entryOf(f, next, s)));
            }
        }
        List<SegmentInfo> infos = new ArrayList<>(files.size());
        List<SegmentCache.Entry> entries = new ArrayList<>(files.size());
        List<Integer> toRead = new ArrayList<>();
        for (ArchivedSegmentFile f : files) {
            Optional<ArchivedSegmentFile> next = Optional.ofNullable(byName.get(f.name().next()));
            Optional<SegmentInfo> hit = checks == WalSegmentReader.Checks.FULL ? Optional.empty() : cache.lookup(f, next);
            infos.add(hit.orElse(null));
            entries.add(hit.map(s -> SegmentCache.entryOf(f, next, s)).orElse(null));
            if (hit.isEmpty()) {
                toRead.add(infos.size() - 1);
            }
        }
        readAll(files, byName, toRead, infos, entries);
        List<SegmentCache.Entry> kept = new ArrayList<>(carried);
        entries.stream().filter(java.util.Objects::nonNull).forEach(kept::add);
        return new Result(List.copyOf(infos), kept, toRead.size(), !toRead.isEmpty() || cacheHadOthers(kept));
    }

    /**
     * Reading threads: a file on this machine costs CPU, one thread per core (at most 4); one from
     * elsewhere (a bucket) mostly waits for the network, so more are kept in flight whatever the cores.
     */
    static int threadsFor(boolean remote, int cores) {
        return remote ? REMOTE_THREADS : Math.min(cores, 4);
    }

    private boolean cacheHadOthers(List<SegmentCache.Entry> kept) {
        return cache.size() != kept.size();
    }

    private void readAll(List<ArchivedSegmentFile> files, Map<WalSegmentName, ArchivedSegmentFile> byName, List<Integer> toRead,
                         List<SegmentInfo> infos, List<SegmentCache.Entry> entries) {
        if (toRead.isEmpty()) {
            return;
        }
        boolean remote = !files.get(toRead.get(0)).source().local();
        if (remote) {
            copies.choose(toRead.stream().map(i -> files.get(i).fileName()).toList(), files.get(toRead.get(0)).name().segmentSize());
        }
        boolean copying = remote && copies.enabled();
        int threads = Math.max(1, Math.min(threadsFor(remote, Runtime.getRuntime().availableProcessors()), toRead.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wal-index-reader");
            t.setDaemon(true);
            return t;
        });
        Runnable unregister = cancel.onCancel(pool::shutdownNow);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger cursor = new AtomicInteger();
        long t0 = System.nanoTime();
        long fetched = t0;
        try {
            if (copying) {
                // whole copies first, so that a record running into the next file is read from its copy, not fetched again
                List<Future<?>> fetching = new ArrayList<>();
                for (int i : toRead) {
                    ArchivedSegmentFile f = files.get(i);
                    fetching.add(pool.submit(() -> {
                        if (!cancel.isCancelled()) {
                            copies.copy(f.store(), f.fileName());
                        }
                    }));
                }
                for (Future<?> f : fetching) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.CancellationException stopped) {
                        break;
                    }
                }
                fetched = System.nanoTime();
            }
            // one worker per thread, each with its own scanner (buffers reused from file to file),
            // taking the segments in order
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                futures.add(pool.submit(() -> {
                    WalSegmentReader.Scanner scanner = WalSegmentReader.scanner(checks);
                    for (int k = cursor.getAndIncrement(); k < toRead.size() && !cancel.isCancelled(); k = cursor.getAndIncrement()) {
                        int i = toRead.get(k);
                        ArchivedSegmentFile f = files.get(i);
                        Optional<ArchivedSegmentFile> next = Optional.ofNullable(byName.get(f.name().next()));
                        SegmentInfo info = readOne(scanner, f, next, copying ? copies : WalCopies.none());
                        synchronized (infos) {
                            infos.set(i, info);
                            if (!unreadable(info)) {
                                entries.set(i, SegmentCache.entryOf(f, next, info));
                            }
                        }
                        progress.progress(done.incrementAndGet(), toRead.size(), "read " + f.fileName());
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.CancellationException stopped) {
                    break;
                }
            }
            LOG.debug("{} segment(s) read with {} thread(s): {} ms fetching whole copies, {} ms reading", toRead.size(), threads,
                    (fetched - t0) / 1_000_000, (System.nanoTime() - fetched) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel.cancel();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            unregister.run();
            pool.shutdownNow();
        }
        cancel.throwIfCancelled("indexing the WAL archive");
    }

    private static final String UNREADABLE = "unreadable: ";

    private static boolean unreadable(SegmentInfo s) {
        return s.damage().filter(d -> d.startsWith(UNREADABLE)).isPresent();
    }

    /** An I/O failure on one file marks that segment damaged (and uncached, to retry next time) instead of failing the index. */
    private static SegmentInfo readOne(WalSegmentReader.Scanner scanner, ArchivedSegmentFile f, Optional<ArchivedSegmentFile> next,
                                       WalCopies copies) {
        try {
            Optional<SegmentSource> nextSource = next.map(n -> copies.made(n.fileName()).map(SegmentSource::of).orElseGet(n::source));
            Optional<java.nio.file.Path> copy = copies.made(f.fileName());
            if (copy.isEmpty()) {
                return scanner.read(f.name(), f.source(), nextSource);
            }
            // read from the whole copy (mapped), but named as the archive lists it, like a streamed one
            SegmentInfo s = scanner.read(f.name(), SegmentSource.of(copy.get()), nextSource);
            return new SegmentInfo(s.name(), f.file(), f.size(), s.startLsn(), s.endLsn(), s.firstXactTime(), s.lastXactTime(),
                    s.restorePoints(), s.complete(), s.damage(), s.systemIdentifier());
        } catch (UnsupportedWalException e) {
            // not this file's fault: the whole archive is of a release this version cannot read
            throw e;
        } catch (PitrException e) {
            return new SegmentInfo(f.name(), f.file(), f.size(), f.name().startLsn(), f.name().startLsn(), Optional.empty(),
                    Optional.empty(), List.of(), false, Optional.of(UNREADABLE + e.getMessage()));
        }
    }
}
