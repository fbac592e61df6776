package io.pitrconsole.recovery.run;

import com.github.luben.zstd.ZstdInputStream;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ShellWords;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL files a plan replays, fetched from the archive (and decompressed) into a directory of
 * the restore's own ahead of the server, a bounded number at a time and in parallel, so that
 * restore_command only renames the next file into pg_wal instead of copying or decompressing it
 * while recovery waits. The copies are made from the archive after the pre-checks, the way
 * restore_command makes them: a file missing or damaged by then (or one not yet staged when the
 * server asks) is not there, and restore_command falls back to the archive itself, failing for a
 * missing or damaged file exactly as before. The server checks each record's CRC as it replays,
 * and the restore compares where replay ended with the plan.
 */
public final class WalAhead implements AutoCloseable {
    /** Staged copies live in the sandbox under this name; an in-place restore's beside its data directory. */
    static final String SANDBOX_DIR = "wal-ahead";
    private static final Pattern RESTORED = Pattern.compile("restored log file \"([0-9A-F]{24})\" from archive");
    private static final long BUDGET = 256L << 20;
    private static final int REMOTE_THREADS = 6;
    private static final Logger LOG = LoggerFactory.getLogger(WalAhead.class);
    /** Beside the last segment's name: its second link, which restore_command copies for the server's second ask. */
    static final String AGAIN = ".again";
    /** Beside a name the archive did not hold just before the server's ask (see keepForTheSecondAsk). */
    static final String ABSENT = ".absent";

    private final WalStore wal;
    private final List<String> files;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Path dir;
    private final long segmentSize;
    private final int window;
    private final Consumer<Path> handOver;
    private final Optional<CheckedWal> checked;
    private final AtomicInteger next = new AtomicInteger();
    /** The highest plan index the server has restored (by whichever way); copies up to it are of no more use. */
    private final AtomicInteger taken = new AtomicInteger(-1);
    private final AtomicInteger staged = new AtomicInteger();
    private final List<Integer> published = new ArrayList<>();
    private ExecutorService pool;
    private volatile boolean stopped;
    private final boolean remote;

    /**
     * @param wal         the archive the files come from
     * @param files       the plan's WAL file names in the archive, in replay order
     * @param dir         the directory the copies go into (created here, removed by close)
     * @param handOver    gives a finished copy to the server's OS user, before it is published
     */
    WalAhead(WalStore wal, List<String> files, Path dir, long segmentSize, Consumer<Path> handOver) {
        this(wal, files, dir, segmentSize, handOver, Optional.empty());
    }

    /** @param checked copies the pre-check fetched and found intact, staged instead of fetching the files again */
    WalAhead(WalStore wal, List<String> files, Path dir, long segmentSize, Consumer<Path> handOver, Optional<CheckedWal> checked) {
        this.wal = wal;
        this.checked = checked;
        this.files = List.copyOf(files);
        for (int i = 0; i < this.files.size(); i++) {
            indexOf.put(segmentName(this.files.get(i)), i);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.segmentSize = segmentSize;
        this.window = windowFor(segmentSize);
        this.handOver = handOver;
        this.remote = !onThisMachine(wal, this.files);
    }

    /** How many copies may wait for the server at once: 256 MB of them, at least 2, at most 16 segments. */
    static int windowFor(long segmentSize) {
        return (int) Math.max(2, Math.min(16, BUDGET / Math.max(1, segmentSize)));
    }

    /** The most disk the copies take at once. */
    public static long spaceNeeded(long segmentSize) {
        return windowFor(segmentSize) * segmentSize;
    }

    /** Where an in-place restore of dataDir stages its WAL: beside the data directory. */
    static Path inPlaceDir(Path dataDir) {
        Path d = dataDir.toAbsolutePath().normalize();
        return d.resolveSibling(d.getFileName() + ".pitr-wal-ahead");
    }

    /**
     * Where a restore stages its WAL: in the sandbox of a rehearsal, beside the data directory in
     * place; empty (no staging, restore_command reads the archive) when the path cannot go into a
     * restore_command as it is.
     */
    public static Optional<Path> dirFor(RestoreMode mode, Path dataDir) {
        Path d = placeFor(mode, dataDir);
        return ShellWords.isSafe(d) ? Optional.of(d) : Optional.empty();
    }

    /** Where a restore stages its WAL, whether or not the path can go into a restore_command. */
    static Path placeFor(RestoreMode mode, Path dataDir) {
        return mode == RestoreMode.REHEARSAL ? dataDir.toAbsolutePath().normalize().getParent().resolve(SANDBOX_DIR) : inPlaceDir(dataDir);
    }

    Path dir() {
        return dir;
    }

    /**
     * Fetching threads. From an archive on this machine a copy costs CPU (reading, decompressing):
     * half the cores, leaving the rest to extraction and the server's replay. From one elsewhere (a
     * bucket) a copy mostly waits for the network, so more requests are kept in flight whatever the
     * cores; the window, not the threads, bounds the disk the copies take.
     */
    static int threadsFor(boolean local, int cores) {
        return local ? Math.max(1, Math.min(4, cores / 2)) : REMOTE_THREADS;
    }

    /**
     * Creates the directory (private: WAL holds the data) and starts fetching. What an earlier
     * restore left there (its process killed) goes first.
     */
    void start(Consumer<Path> giveDir) {
        freshPrivateDir(dir);
        giveDir.accept(dir);
        int threads = Math.min(window, threadsFor(!remote, Runtime.getRuntime().availableProcessors()));
        pool = fetchers(threads, "restore-wal-ahead", this::work);
    }

    /** Whether a plan's WAL is on this machine, read in place, rather than fetched from elsewhere. */
    static boolean onThisMachine(WalStore wal, List<String> files) {
        return files.isEmpty() || wal.localFile(files.get(0)).isPresent();
    }

    /** Makes the directory afresh and private (WAL holds the data): what a killed restore left there goes first. */
    static void freshPrivateDir(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new PitrException("cannot create " + dir + ": " + e.getMessage(), "check free space and permissions");
        }
    }

    /** A pool of daemon threads, each running {@code work} once. */
    static ExecutorService fetchers(int threads, String name, Runnable work) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            pool.submit(work);
        }
        return pool;
    }

    /** Told each server log line: a restored file moves the window on. */
    void serverSaid(String line) {
        Matcher m = RESTORED.matcher(line);
        if (m.find()) {
            Integer i = indexOf.get(m.group(1));
            if (i != null) {
                taken.accumulateAndGet(i, Math::max);
            }
        }
    }

    /** How many files were staged (taken by the server or not). */
    int staged() {
        return staged.get();
    }

    private void work() {
        try {
            for (int i = next.getAndIncrement(); i < files.size() && !stopped; i = next.getAndIncrement()) {
                if (!awaitRoom(i)) {
                    return;
                }
                if (i > taken.get()) {
                    stage(i);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until fewer than the window's copies wait for the server; false when stopped. */
    private boolean awaitRoom(int i) throws InterruptedException {
        while (!stopped) {
            if (i <= taken.get() + window && waiting() < window) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Copies not yet taken by the server; those it got elsewhere (it asked before they were ready) are removed. */
    private int waiting() {
        synchronized (published) {
            published.removeIf(i -> {
                Path p = dir.resolve(segmentName(files.get(i)));
                if (!Files.exists(p)) {
                    return true;
                }
                if (i <= taken.get()) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        LOG.debug("could not remove the unused copy {}: {}", p, e.getMessage());
                    }
                    return true;
                }
                return false;
            });
            return published.size();
        }
    }

    /**
     * One file as restore_command would make it: copied, or decompressed to its end. Written under
     * a temporary name and renamed when whole, so restore_command never sees half a file; a file
     * that cannot be read whole, or is not one segment long, is left to restore_command.
     */
    private void stage(int i) {
        String name = files.get(i);
        String segment = segmentName(name);
        Path part = dir.resolve("." + segment + ".part");
        try {
            long n;
            Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Optional<Path> copy = checked.flatMap(c -> c.take(name));
            // the copy's own name says whether the check left it compressed
            String source = copy.map(c -> c.getFileName().toString()).orElse(name);
            if (copy.isPresent() && !compressed(source)) {
                // a plain (or decompressed) checked copy is already what the server gets: moved, not copied
                Files.move(copy.get(), part, StandardCopyOption.REPLACE_EXISTING);
                n = Files.size(part);
            } else {
                try (InputStream raw = copy.isPresent() ? Files.newInputStream(copy.get()) : wal.open(name); InputStream in = decompressing(source, raw);
                     OutputStream out = Files.newOutputStream(part, StandardOpenOption.WRITE)) {
                    n = in.transferTo(out);
                } finally {
                    if (copy.isPresent()) {
                        Files.deleteIfExists(copy.get());
                    }
                }
            }
            if (n != segmentSize) {
                Files.deleteIfExists(part);
                return;
            }
            handOver.accept(part);
            if (stopped || i <= taken.get()) {
                Files.deleteIfExists(part);
                return;
            }
            boolean lastFromElsewhere = remote && i == files.size() - 1;
            if (lastFromElsewhere) {
                keepForTheSecondAsk(part, segment);
            }
            Files.move(part, dir.resolve(segment), StandardCopyOption.ATOMIC_MOVE);
            synchronized (published) {
                published.add(i);
            }
            staged.incrementAndGet();
            if (lastFromElsewhere) {
                // after publishing: the listings must not hold the last copy back from the server
                markWhatTheArchiveLacks(segment);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("not staging {}: {}", name, e.toString());
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the directory goes as a whole at the end
            }
        }
    }

    /**
     * As recovery ends, the server asks restore_command for names the plan does not hold: the
     * segment after its last, twice, then (picking its new timeline) the next timeline's history
     * file and its own; and for its last segment once more, whose staged copy went into pg_wal the
     * first time. From a bucket each miss was a process and a TLS handshake per stored form (plain,
     * .zst, .gz), about 0.4 s at the end of every restore on the bench. So, when the last copy is
     * staged (the server still replays the files before it): a second link of it stays for the
     * second ask ($f.again, copied, not moved), and each of those names the bucket does not hold
     * now (one listing each) gets a marker ($f.absent) that restore_command answers "not there"
     * from. A name the bucket holds, or one it cannot tell about, is fetched as before. From a
     * directory on this machine a miss is a test for a file: nothing is kept or marked.
     */
    private void keepForTheSecondAsk(Path part, String segment) {
        try {
            Files.createLink(dir.resolve(segment + AGAIN), part);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("not keeping {} for the server's second ask: {}", segment, e.toString());
        }
    }

    /** The markers of the names after the last segment that the archive does not hold (see above). */
    private void markWhatTheArchiveLacks(String segment) {
        if (!WalSegmentName.looksLikeSegment(segment)) {
            return;
        }
        WalSegmentName last = WalSegmentName.parse(segment, segmentSize);
        for (String name : List.of(last.next().toString(), historyFile(last.timeline() + 1), historyFile(last.timeline()))) {
            if (!stopped && wal.surelyAbsent(name)) {
                try {
                    Files.createFile(dir.resolve(name + ABSENT));
                } catch (IOException e) {
                    LOG.debug("no marker for {}: {}", name, e.toString());
                }
            }
        }
    }

    private static String historyFile(int timeline) {
        return String.format("%08X.history", timeline);
    }

    /** Whether a WAL file of that name is stored compressed (restore_command decompresses it). */
    static boolean compressed(String fileName) {
        return fileName.endsWith(".zst") || fileName.endsWith(".gz");
    }

    /** The file's segment, decompressed as its name says. */
    static InputStream decompressing(String name, InputStream raw) throws IOException {
        if (name.endsWith(".zst")) {
            return new ZstdInputStream(raw);
        }
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return raw;
    }

    /** The segment a WAL file of that name holds: its name without a compression suffix. */
    static String segmentName(String fileName) {
        return fileName.length() > 24 ? fileName.substring(0, 24) : fileName;
    }

    /** Stops fetching and removes the directory with every copy left in it. */
    @Override
    public void close() {
        stopped = true;
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("could not remove the staged WAL copies in {}: {}", dir, e.getMessage());
        }
    }
}
