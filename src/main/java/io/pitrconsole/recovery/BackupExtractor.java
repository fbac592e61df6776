package io.pitrconsole.recovery;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.SafeTarExtractor;
import io.pitrconsole.archive.Tablespace;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unpacks a base backup into a data directory: base.tar, one tar per tablespace into its (possibly
 * remapped) location, and pg_wal.tar into pg_wal, several tars at once. tablespace_map is rewritten
 * to the new locations, since the server recreates pg_tblspc links from it at recovery start.
 */
final class BackupExtractor {
    private final Path backupDir;
    private final BackupRecord backup;

    BackupExtractor(Path backupDir, BackupRecord backup) {
        this.backupDir = backupDir;
        this.backup = backup;
    }

    /** What went where. */
    record Result(long files, long bytes, int tars) {
    }

    /** The tar files this backup restores from, checked to exist. */
    List<Path> tarFiles() {
        List<Path> tars = new ArrayList<>();
        tars.add(baseTar());
        for (Tablespace t : backup.tablespaces()) {
            tars.add(tablespaceTar(t));
        }
        walTar().ifPresent(tars::add);
        for (Path p : tars) {
            if (!Files.isReadable(p)) {
                throw new PitrException("backup " + backup.id() + " lacks " + p.getFileName() + " (or it is not readable)",
                        "run 'backup verify " + backup.id() + "'; restore from another backup if this one is damaged");
            }
        }
        return tars;
    }

    Path baseTar() {
        return backupDir.resolve("base" + backup.compression().tarSuffix());
    }

    private Path tablespaceTar(Tablespace t) {
        return backupDir.resolve(t.oid() + backup.compression().tarSuffix());
    }

    private Optional<Path> walTar() {
        // pg_basebackup leaves pg_wal.tar uncompressed with client-side compression, so both names are tried.
        for (Path p : List.of(backupDir.resolve("pg_wal" + backup.compression().tarSuffix()), backupDir.resolve("pg_wal.tar"))) {
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Extracts everything; tablespaces maps OID to the directory its files go into. */
    Result extract(Path dataDir, Map<String, Path> tablespaces, ProgressListener progress, Cancellation cancel) {
        List<Path> tars = tarFiles();
        Map<String, Path> links = new LinkedHashMap<>();
        tablespaces.forEach((oid, dir) -> links.put("pg_tblspc/" + oid, dir));
        Map<Path, Path> jobs = new LinkedHashMap<>();
        jobs.put(baseTar(), dataDir);
        for (Tablespace t : backup.tablespaces()) {
            jobs.put(tablespaceTar(t), tablespaces.get(t.oid()));
        }
        walTar().ifPresent(w -> jobs.put(w, dataDir.resolve("pg_wal")));
        try {
            // Created up front so that two tars writing into pg_wal never race to create it.
            Files.createDirectories(dataDir.resolve("pg_wal").resolve("archive_status"));
        } catch (IOException e) {
            throw new PitrException("cannot create " + dataDir + ": " + e.getMessage(), "check free space and permissions");
        }
        Map<Path, Long> done = new ConcurrentHashMap<>();
        AtomicLong lastReport = new AtomicLong();
        long total = backup.originalSizeBytes();
        int threads = Math.max(1, Math.min(jobs.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "restore-extract");
            t.setDaemon(true);
            return t;
        });
        Cancellation inner = new Cancellation();
        Runnable unregister = cancel.onCancel(inner::cancel);
        try {
            List<Future<SafeTarExtractor.Result>> futures = new ArrayList<>();
            for (Map.Entry<Path, Path> job : jobs.entrySet()) {
                SafeTarExtractor extractor = job.getKey().equals(baseTar()) ? new SafeTarExtractor(links) : new SafeTarExtractor();
                futures.add(pool.submit(() -> extractor.extract(job.getKey(), job.getValue(), (d, t, m) -> {
                    done.put(job.getKey(), d);
                    long now = System.nanoTime();
                    long last = lastReport.get();
                    if (now - last > 100_000_000L && lastReport.compareAndSet(last, now)) {
                        progress.progress(done.values().stream().mapToLong(Long::longValue).sum(), total, "extracting " + m);
                    }
                }, inner)));
            }
            long files = 0;
            long bytes = 0;
            for (Future<SafeTarExtractor.Result> f : futures) {
                SafeTarExtractor.Result r = await(f, inner);
                files += r.files();
                bytes += r.bytes();
            }
            rewriteTablespaceMap(dataDir, tablespaces);
            progress.progress(bytes, bytes, "extracted " + tars.size() + " tar file(s)");
            return new Result(files, bytes, tars.size());
        } finally {
            unregister.run();
            pool.shutdownNow();
        }
    }

    private static SafeTarExtractor.Result await(Future<SafeTarExtractor.Result> f, Cancellation inner) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            // One bad tar stops the others at once instead of letting them run to the end.
            inner.cancel();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new PitrException("extraction failed: " + e.getCause(), "run 'backup verify' on the backup");
        } catch (InterruptedException e) {
            inner.cancel();
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException("extraction was interrupted");
        }
    }

    private static void rewriteTablespaceMap(Path dataDir, Map<String, Path> tablespaces) {
        Path map = dataDir.resolve("tablespace_map");
        if (!Files.exists(map) || tablespaces.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        tablespaces.forEach((oid, dir) -> sb.append(oid).append(' ').append(dir.toAbsolutePath().normalize()).append('\n'));
        try {
            Files.writeString(map, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PitrException("cannot rewrite " + map + ": " + e.getMessage(), "check free space and permissions");
        }
    }
}
