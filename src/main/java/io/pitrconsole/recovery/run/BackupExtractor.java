package io.pitrconsole.recovery.run;

import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.archive.SafeTarExtractor;
import io.pitrconsole.archive.Tablespace;
import io.pitrconsole.archive.TarEntryLimits;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.plan.PreChecks;
import io.pitrconsole.repository.BackupPlacement;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
public final class BackupExtractor {
    private final BackupStore store;
    private final BackupRecord backup;
    private final Optional<BackupPlacement> placement;
    /** The backup's files as its store listed them, once: a bucket answers each listing with a request. */
    private List<String> listed;

    BackupExtractor(BackupStore store, BackupRecord backup) {
        this(store, backup, Optional.empty());
    }

    /** With a placement, the repository puts the backup into the data directory itself (see {@link BackupPlacement}). */
    BackupExtractor(BackupStore store, BackupRecord backup, Optional<BackupPlacement> placement) {
        this.store = store;
        this.backup = backup;
        this.placement = placement;
    }

    /** Fails with a hint when the backup's repository cannot put it into the data directory this way. */
    public void requireMode(io.pitrconsole.recovery.RestoreMode mode) {
        if (mode == io.pitrconsole.recovery.RestoreMode.IN_PLACE && placement.isPresent() && !placement.get().inPlace()) {
            throw new PitrException("an in-place restore from " + store.where(backup.id()) + " is not supported by this version",
                    Hint.of("rehearse it instead (leave out --in-place), or restore in place with the repository's own tool",
                            "choose Rehearsal on the Mode step, or restore in place with the repository's own tool"));
        }
    }

    /** What the restore reads the backup from, for the pre-checks' words. */
    public String source() {
        return placement.isPresent() ? "placed by its repository (" + store.where(backup.id()) + ")"
                : tarFiles().size() + " tar file(s) present";
    }

    /**
     * One of the backup's files where this machine can read it in place, the fast path: the tars
     * are read from their files by several threads at once. A store that keeps its files elsewhere
     * (a bucket) gives none, and its tars are streamed from {@link BackupStore#open}.
     */
    private Optional<Path> local(String name) {
        return store.localFile(backup.id(), name);
    }

    private boolean present(String name) {
        Optional<Path> local = local(name);
        if (local.isPresent()) {
            return Files.isReadable(local.get());
        }
        try {
            if (listed == null) {
                listed = store.files(backup.id());
            }
            return listed.contains(name);
        } catch (IOException e) {
            throw new PitrException("cannot list the files of backup " + backup.id() + " in " + store.where(backup.id()) + ": " + e.getMessage(),
                    "check that the repository can be read from here");
        }
    }

    /** What went where. */
    record Result(long files, long bytes, int tars) {
    }

    /** The names of the tar files this backup restores from, checked to exist; none when its repository places it. */
    public List<String> tarFiles() {
        if (placement.isPresent()) {
            return List.of();
        }
        List<String> tars = new ArrayList<>();
        tars.add(baseTar());
        for (Tablespace t : backup.tablespaces()) {
            tars.add(tablespaceTar(t));
        }
        walTar().ifPresent(tars::add);
        for (String name : tars) {
            if (!present(name)) {
                throw new PitrException("backup " + backup.id() + " lacks " + name + " (or it is not readable)",
                        Hint.of("run 'backup verify " + backup.id() + "'; restore from another backup if this one is damaged",
                                "verify " + backup.id() + " on the Backups page; restore from another backup if this one is damaged"));
            }
        }
        return tars;
    }

    String baseTar() {
        return "base" + backup.compression().tarSuffix();
    }

    private String tablespaceTar(Tablespace t) {
        return t.oid() + backup.compression().tarSuffix();
    }

    private Optional<String> walTar() {
        // pg_basebackup leaves pg_wal.tar uncompressed with client-side compression, so both names are tried.
        for (String name : List.of("pg_wal" + backup.compression().tarSuffix(), "pg_wal.tar")) {
            if (present(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private SafeTarExtractor.Result extractOne(SafeTarExtractor extractor, String name, Path destination, ProgressListener progress,
                                               Cancellation cancel) throws IOException {
        Optional<Path> local = local(name);
        if (local.isPresent()) {
            return extractor.extract(local.get(), destination, progress, cancel);
        }
        return extractor.extract(store.open(backup.id(), name), name, destination, progress, cancel);
    }

    /** Extracts everything; tablespaces maps OID to the directory its files go into. */
    Result extract(Path dataDir, Map<String, Path> tablespaces, ProgressListener progress, Cancellation cancel) {
        if (placement.isPresent()) {
            // tablespaces go beside the data directory, never where the backed-up server had them
            BackupPlacement.Placed placed = placement.get().place(backup.id(), dataDir, dataDir.resolveSibling("tablespaces"),
                    line -> progress.progress(0, backup.originalSizeBytes(), line), cancel);
            progress.progress(placed.bytes(), placed.bytes(), "placed by " + placed.how());
            return new Result(placed.files(), placed.bytes(), 0);
        }
        List<String> tars = tarFiles();
        BackupManifest manifest = manifest();
        requireSpace(manifest, dataDir, tablespaces);
        Map<String, Path> links = new LinkedHashMap<>();
        tablespaces.forEach((oid, dir) -> links.put("pg_tblspc/" + oid, dir));
        Map<String, Path> jobs = new LinkedHashMap<>();
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
        Map<String, Long> done = new ConcurrentHashMap<>();
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
            for (Map.Entry<String, Path> job : jobs.entrySet()) {
                SafeTarExtractor extractor = new SafeTarExtractor(job.getKey().equals(baseTar()) ? links : Map.of(),
                        limitsOf(job.getKey(), manifest));
                futures.add(pool.submit(() -> extractOne(extractor, job.getKey(), job.getValue(), (d, t, m) -> {
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

    /** The manifest bounds what the tars may write, so it must be there and intact. */
    private BackupManifest manifest() {
        Optional<Path> file = local("backup_manifest");
        if (file.isPresent() ? !Files.isRegularFile(file.get(), LinkOption.NOFOLLOW_LINKS) : !present("backup_manifest")) {
            throw new PitrException("backup " + backup.id() + " has no backup_manifest, so its tars cannot be checked while they are extracted",
                    Hint.of("restore from another backup; 'backup verify " + backup.id() + "' says what else is wrong with this one",
                            "restore from another backup; Verify on the Backups page says what else is wrong with this one"));
        }
        BackupManifest m = file.isPresent() ? BackupManifest.read(file.get()) : BackupManifest.read(store, backup.id());
        // the last word before a byte is written: files sent incrementally would land as they are
        Optional<IncrementalBackup> incremental = IncrementalBackup.of(m);
        if (incremental.isPresent()) {
            throw incremental.get().refusal(backup.id());
        }
        if (!m.checksumValid()) {
            throw new PitrException("backup " + backup.id() + ": " + m.checksumProblem(),
                    Hint.of("the manifest was changed after the backup; run 'backup verify " + backup.id() + "' and restore from another backup",
                            "the manifest was changed after the backup; verify " + backup.id() + " on the Backups page and restore from another backup"));
        }
        return m;
    }

    private TarEntryLimits limitsOf(String tar, BackupManifest manifest) {
        if (tar.equals(baseTar())) {
            return TarEntryLimits.manifest(manifest, "");
        }
        for (Tablespace t : backup.tablespaces()) {
            if (tar.equals(tablespaceTar(t))) {
                return TarEntryLimits.manifest(manifest, "pg_tblspc/" + t.oid() + "/");
            }
        }
        return TarEntryLimits.walFiles();
    }

    /**
     * The manifest's sizes, not backup.json's, are what extraction may write; refused before the
     * first byte when a destination's file system cannot hold its share.
     */
    private void requireSpace(BackupManifest manifest, Path dataDir, Map<String, Path> tablespaces) {
        // FileStore equality is the file system's, so a tablespace on the data directory's disk adds to its need
        Map<FileStore, Path> whereOf = new LinkedHashMap<>();
        Map<FileStore, Long> needOf = new LinkedHashMap<>();
        for (BackupManifest.FileEntry f : manifest.files().values()) {
            Path dest = dataDir;
            if (f.path().startsWith("pg_tblspc/")) {
                dest = tablespaces.getOrDefault(f.path().substring("pg_tblspc/".length()).split("/", 2)[0], dataDir);
            }
            need(whereOf, needOf, dest, f.size());
        }
        walTar().ifPresent(w -> need(whereOf, needOf, dataDir, sizeOf(w)));
        for (Map.Entry<FileStore, Long> need : needOf.entrySet()) {
            Path where = whereOf.get(need.getKey());
            long free;
            try {
                free = need.getKey().getUsableSpace();
            } catch (IOException e) {
                throw new PitrException("cannot tell free space under " + where + ": " + e.getMessage(), "check the path");
            }
            if (free < need.getValue()) {
                throw new PitrException("not enough space under " + where + " for backup " + backup.id() + ": its manifest lists "
                        + ByteSize.of(need.getValue()).human() + " to write there, " + ByteSize.of(free).human() + " is free",
                        "free some space or restore elsewhere; nothing has been extracted");
            }
        }
    }

    private static void need(Map<FileStore, Path> whereOf, Map<FileStore, Long> needOf, Path dest, long bytes) {
        Path existing = PreChecks.existingAncestor(dest);
        FileStore store;
        try {
            store = Files.getFileStore(existing);
        } catch (IOException e) {
            throw new PitrException("cannot tell free space under " + existing + ": " + e.getMessage(), "check the path");
        }
        whereOf.putIfAbsent(store, existing);
        needOf.merge(store, bytes, Long::sum);
    }

    private long sizeOf(String name) {
        try {
            return store.size(backup.id(), name);
        } catch (IOException e) {
            return 0;
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
            throw new PitrException("extraction failed: " + e.getCause(),
                    Hint.of("run 'backup verify' on the backup", "verify the backup on the Backups page"));
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
