package io.pitrconsole.recovery.run;

import io.pitrconsole.core.FileTrees;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.RestoreDecompression;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.wal.WalCopies;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL files a plan replays, read from a repository elsewhere (a bucket) once: fetched in
 * parallel, a bounded number ahead, into a private directory as the pre-check reads them, and the
 * copies that passed the check (every record's CRC, the file whole) kept for {@link WalAhead},
 * which stages them for the server instead of fetching them again. Only the first files, up to
 * {@link #KEEP_BUDGET} of them, are kept: they wait on disk while the backup is extracted, and
 * the pre-check's space check reserves room for them; later files are removed once read and
 * fetched again ahead of the server, as before. A copy of a file the check found damaged (counted
 * against the plan or not) is never kept. A compressed file is decompressed as soon as it is
 * fetched, by the fetching threads: the check then reads the segment itself, and the server is
 * given that copy as it is, so no file is decompressed twice and none on the check's one thread.
 * A file that does not decompress cleanly is left compressed for the check, which reports it as
 * it reports any corrupt compressed file.
 */
public final class CheckedWal implements AutoCloseable {
    /** How much WAL the check keeps for the server: the first GiB covers most restores' WAL whole. */
    static final long KEEP_BUDGET = 1L << 30;
    private static final int AHEAD = 8;
    private static final Logger LOG = LoggerFactory.getLogger(CheckedWal.class);

    private final WalStore wal;
    private final WalCopies copies;
    private final List<String> files;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Path dir;
    private Path createdTop;
    private final int keepLimit;
    private final List<CompletableFuture<Path>> fetched = new ArrayList<>();
    private final Map<String, Path> kept = new ConcurrentHashMap<>();
    /** The highest index the check has opened; fetching stays within AHEAD of it. */
    private final AtomicInteger reading = new AtomicInteger(-1);
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong fetches = new AtomicLong();
    private ExecutorService pool;
    private volatile boolean stopped;

    private CheckedWal(WalStore wal, List<String> files, Path dir, long segmentSize, boolean keep, WalCopies copies) {
        this.wal = wal;
        this.copies = copies;
        this.files = List.copyOf(files);
        for (int i = 0; i < this.files.size(); i++) {
            indexOf.put(this.files.get(i), i);
            fetched.add(new CompletableFuture<>());
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.keepLimit = keep ? keepLimit(segmentSize) : 0;
    }

    /**
     * Creates the directory (private: WAL holds the data; what a killed restore left there goes
     * first) and starts fetching: only once the check reads, so that the checks before it (an
     * unused rehearsal directory, free space) see nothing of this.
     */
    private synchronized void begin() {
        if (pool != null) {
            return;
        }
        Path top = dir;
        while (top.getParent() != null && !Files.exists(top.getParent())) {
            top = top.getParent();
        }
        createdTop = top;
        WalAhead.freshPrivateDir(dir);
        int threads = Math.max(1, Math.min(files.size(), WalAhead.threadsFor(false, Runtime.getRuntime().availableProcessors())));
        pool = WalAhead.fetchers(threads, "restore-wal-check-fetch", this::work);
    }

    /**
     * For a plan whose WAL is not on this machine: fetching into {@code dir} (created when the
     * check first reads, removed by close); with {@code keep}, copies that pass are kept for the
     * server. Empty for WAL on this machine, which the check reads in place.
     */
    public static Optional<CheckedWal> forPlan(WalStore wal, List<String> files, Path dir, long segmentSize, boolean keep) {
        return forPlan(wal, files, dir, segmentSize, keep, WalCopies.none());
    }

    /** Like {@link #forPlan(WalStore, List, Path, long, boolean)}; a file of which {@code copies} holds a whole copy is taken from there, not fetched. */
    public static Optional<CheckedWal> forPlan(WalStore wal, List<String> files, Path dir, long segmentSize, boolean keep, WalCopies copies) {
        if (WalAhead.onThisMachine(wal, files)) {
            return Optional.empty();
        }
        return Optional.of(new CheckedWal(wal, files, dir, segmentSize, keep, copies));
    }

    /** Where a restore keeps the copies its check fetched: beside the directory WalAhead stages into. */
    public static Path dirBeside(Path aheadDir) {
        Path d = aheadDir.toAbsolutePath().normalize();
        return d.resolveSibling(d.getFileName() + "-checked");
    }

    static int keepLimit(long segmentSize) {
        return (int) Math.max(2, KEEP_BUDGET / Math.max(1, segmentSize));
    }

    /** The most disk the copies take at once, for a plan of {@code files} WAL files. */
    public long spaceNeeded(long segmentSize) {
        return Math.min(files.size(), keepLimit + AHEAD + 2L) * segmentSize;
    }

    /** The archive as the check reads it: each of the plan's files from its fetched copy. */
    public WalStore reader() {
        begin();
        return new Reader();
    }

    /** How many objects were fetched from the repository (for the restore's report and tests). */
    public long fetches() {
        return fetches.get();
    }

    /**
     * Told once the check has read every file: the copies of the files it found undamaged, up to
     * the keep limit, are kept for the server; every other copy goes.
     */
    public void checked(Set<String> damaged) {
        Set<String> damagedSegments = damaged.stream().map(WalAhead::segmentName).collect(Collectors.toSet());
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i);
            Optional<Path> copy = fetched.get(i).isDone() && !fetched.get(i).isCompletedExceptionally()
                    ? Optional.of(fetched.get(i).join()) : Optional.empty();
            if (copy.isEmpty()) {
                continue;
            }
            if (i < keepLimit && !damagedSegments.contains(WalAhead.segmentName(name)) && Files.exists(copy.get())) {
                kept.put(name, copy.get());
            } else {
                remove(copy.get());
            }
        }
    }

    /**
     * The checked copy of a file, handed over to the caller (who moves or removes it); empty when
     * none is kept. Its own name says whether it is still compressed.
     */
    Optional<Path> take(String name) {
        return Optional.ofNullable(kept.remove(name));
    }

    private void work() {
        try {
            for (int i = next.getAndIncrement(); i < files.size() && !stopped; i = next.getAndIncrement()) {
                while (i > reading.get() + AHEAD && !stopped) {
                    Thread.sleep(5);
                }
                if (stopped) {
                    break;
                }
                fetch(i);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetch(int i) {
        Path copy = dir.resolve(files.get(i));
        try {
            Optional<Path> made = copies.take(files.get(i));
            if (made.isPresent()) {
                // fetched whole while the plan was made; the check reads it like a fresh one
                Files.move(made.get(), copy);
                fetched.get(i).complete(copy);
                return;
            }
            fetches.incrementAndGet();
            try (InputStream in = wal.open(files.get(i));
                 OutputStream out = Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 20];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (stopped) {
                        throw new InterruptedIOException("the restore's check stopped");
                    }
                    out.write(buf, 0, n);
                }
            }
            fetched.get(i).complete(decompressed(copy));
        } catch (IOException | RuntimeException e) {
            remove(copy);
            fetched.get(i).completeExceptionally(e);
        }
    }

    /**
     * The segment a compressed copy holds, written beside it under the segment's name (the copy
     * goes); a plain copy, or one that does not decompress cleanly (the check reads and reports
     * it), as it is.
     */
    private Path decompressed(Path copy) {
        String name = copy.getFileName().toString();
        if (!WalAhead.compressed(name)) {
            return copy;
        }
        Path plain = dir.resolve(WalAhead.segmentName(name));
        Path part = dir.resolve("." + WalAhead.segmentName(name) + ".part");
        try (InputStream raw = Files.newInputStream(copy); InputStream in = WalAhead.decompressing(name, raw);
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} left compressed for the check: {}", name, e.toString());
            remove(part);
            return copy;
        }
        try {
            Files.move(part, plain, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            remove(part);
            return copy;
        }
        remove(copy);
        return plain;
    }

    /** Waits for file i's copy; files the check is done with and that are not to be kept go. */
    private InputStream openCopy(String name) throws IOException {
        if (!indexOf.containsKey(name)) {
            return wal.open(name);
        }
        return Files.newInputStream(copyOf(name));
    }

    /** The copy of one of the plan's files, once fetched (and decompressed); files the check is done with and that are not to be kept go. */
    private Path copyOf(String name) throws IOException {
        int i = indexOf.get(name);
        int before = reading.getAndAccumulate(i, Math::max);
        // reading file i (or i as the next of i - 1): every file before i - 1 has been read
        for (int j = Math.max(keepLimit, before - 1); j < i - 1; j++) {
            fetched.get(j).thenAccept(CheckedWal::remove);
        }
        try {
            return fetched.get(i).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + name);
        }
    }

    private static void remove(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", p, e.getMessage());
        }
    }

    /** Stops fetching and removes every copy left, and the directories made for them. */
    @Override
    public void close() {
        stopped = true;
        synchronized (this) {
            if (pool == null) {
                return;
            }
            pool.shutdownNow();
        }
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kept.clear();
        try {
            FileTrees.deleteRecursively(dir);
            // parents made for the copies (a rehearsal's directory that the restore never got to create) go if left empty
            for (Path p = dir.getParent(); p != null && p.startsWith(createdTop); p = p.getParent()) {
                try (var s = Files.list(p)) {
                    if (s.findAny().isPresent()) {
                        break;
                    }
                }
                Files.delete(p);
            }
        } catch (IOException e) {
            LOG.warn("could not remove the checked WAL copies in {}: {}", dir, e.getMessage());
        }
    }

    /** The repository's archive, but the plan's files come from their fetched copies. */
    private final class Reader implements WalStore {
        @Override
        public List<WalFile> list() {
            return wal.list();
        }

        @Override
        public InputStream open(String name) throws IOException {
            return openCopy(name);
        }

        /**
         * The fetched copy, which the check maps: under the segment's own name once decompressed.
         * A file that could not be fetched has none, and its stream ({@link #open}) says why.
         */
        @Override
        public Optional<Path> localFile(String name) {
            if (!indexOf.containsKey(name)) {
                return wal.localFile(name);
            }
            try {
                return Optional.of(copyOf(name));
            } catch (InterruptedIOException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public void put(String name, InputStream content) throws IOException {
            wal.put(name, content);
        }

        @Override
        public boolean delete(String name) throws IOException {
            return wal.delete(name);
        }

        @Override
        public String describe() {
            return wal.describe();
        }

        @Override
        public ArchiveCommand archiveCommand() {
            return wal.archiveCommand();
        }

        @Override
        public String restoreCommand(Optional<Path> staged) {
            return wal.restoreCommand(staged);
        }

        @Override
        public void checkServerCanRead(ServerShell shell, List<String> names) {
            wal.checkServerCanRead(shell, names);
        }

        @Override
        public void checkServerCanWrite(ServerShell shell) {
            wal.checkServerCanWrite(shell);
        }

        @Override
        public boolean listsContentSizes() {
            return wal.listsContentSizes();
        }

        @Override
        public RestoreDecompression restoreDecompression(List<String> names) {
            return wal.restoreDecompression(names);
        }
    }
}
