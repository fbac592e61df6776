package io.pitrconsole.backup;

import io.pitrconsole.archive.ArchiveIdentity;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupContents;
import io.pitrconsole.archive.BackupLabel;
import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ServerInfo;
import io.pitrconsole.pg.ToolCommand;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one base backup with pg_basebackup into the archive: tar format, manifest, streamed WAL.
 * pg_basebackup writes into a hidden .incoming directory inside the backup's directory; only
 * when it succeeds are the files moved up and backup.json marked complete. Any failure or
 * cancel removes the partial files and marks the backup failed.
 */
final class BackupCreator {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCreator.class);
    private static final Pattern PROGRESS = Pattern.compile("(\\d+)/(\\d+) kB");

    private final BackupCatalog catalog;
    private final PgContext pg;
    private final Clock clock;

    BackupCreator(BackupCatalog catalog, PgContext pg, Clock clock) {
        this.catalog = catalog;
        this.pg = pg;
        this.clock = clock;
    }

    BackupOutcome create(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
        Repository repository = catalog.repository();
        BackupStore store = repository.backups();
        repository.requireWritable();
        List<String> notices = new ArrayList<>();
        // The server is asked while the archive is locked and scanned: two waits overlap.
        CompletableFuture<ServerInfo> serverInfo = CompletableFuture.supplyAsync(() -> ServerInfo.read(request.connection()));
        try (RepositoryLock lock = repository.lock(LockUse.BACKUP, "backup create")) {
            lock.staleLocksRemoved().forEach(h -> notices.add("a stale archive lock from process " + h.pid() + " ("
                    + h.operation() + " since " + h.since() + ") was found; that process is gone, so the lock was removed"));
            LOG.debug("archive locked");
            ServerInfo server = join(serverInfo);
            LOG.debug("server {} read: PostgreSQL {}, {} bytes", request.connection().describe(), server.version(), server.databaseSize());
            checkServer(request, server);
            ArchiveIdentity.requireSameSystem(repository, catalog.records(), Long.toUnsignedString(server.systemIdentifier()),
                    request.connection().describe());
            PgInstallation installation = pg.backupProgramsFor(server.version());
            LOG.debug("using PostgreSQL programs in {}", installation.binDir());
            checkFreeSpace(repository, server, request.compression());
            cancellation.throwIfCancelled("backup");

            String id = store.newId(LocalDateTime.now(clock));
            BackupStore.NewBackup incoming = store.create(id);
            Instant started = clock.instant();
            BackupRecord running = BackupRecord.builder(id).label(request.label().orElse(id)).status(BackupStatus.RUNNING)
                    .startTime(started).timeline(server.timeline()).pgVersion(server.version().toString())
                    .systemIdentifier(Long.toUnsignedString(server.systemIdentifier())).walSegmentSize(server.walSegmentSize())
                    .compression(request.compression()).originalSizeBytes(server.databaseSize())
                    .host(request.connection().host()).port(request.connection().port()).build();
            // pg_basebackup starts first; the bookkeeping below overlaps with its copy.
            PgToolRunner.RunningTool basebackup;
            try {
                basebackup = startBasebackup(installation, request, incoming.incoming(), id, progress, cancellation);
            } catch (RuntimeException e) {
                incoming.abandon();
                catalog.save(running);
                fail(running, e);
                throw e;
            }
            incoming.writing(new BackupStore.Writer() {
                @Override
                public void stop() {
                    basebackup.kill();
                }

                @Override
                public void pause() {
                    basebackup.pause();
                }

                @Override
                public void resume() {
                    basebackup.resume();
                }
            });
            try {
                try {
                    // Bookkeeping that a backup does not have to wait for: it runs while pg_basebackup copies.
                    notices.addAll(markInterruptedBackups(id, request));
                    catalog.save(running);
                    catalog.refreshLegacyMetadata();
                    prepareForTheEnd(request.compression());
                } catch (RuntimeException e) {
                    basebackup.kill();
                    throw e;
                }
                basebackup.await();
                LOG.debug("pg_basebackup finished");
                // Asked now, the server's clock is a bound on when the backup stopped, finer than the
                // .backup file's whole seconds; read while the files are moved and the .backup file awaited.
                CompletableFuture<Optional<Instant>> afterStop = CompletableFuture.supplyAsync(() -> serverClock(request));
                List<String> files = incoming.commit(cancellation);
                BackupRecord done = describe(running, request, server, store, files, started, afterStop);
                catalog.save(done);
                catalog.refreshLegacyMetadata();
                LOG.info("backup {} complete: {} on disk, {} original", id, ByteSize.of(done.sizeBytes()), ByteSize.of(done.originalSizeBytes()));
                return new BackupOutcome(done, notices);
            } catch (RuntimeException | IOException thrown) {
                // a copy that failed while pg_basebackup wrote stopped it: the copy's failure is the one to tell
                Exception e = incoming.abandon().<Exception>map(c -> c).orElse(thrown);
                endServerSessions(request, id);
                fail(running, e);
                throw e instanceof PitrException pe ? pe
                        : new PitrException("backup " + id + " failed: " + e.getMessage(), "check free space and permissions of " + store.where(id), e);
            }
        } catch (IOException e) {
            throw new PitrException("cannot create a backup directory in " + repository.location() + ": " + e.getMessage(),
                    "check free space and permissions of the archive directory");
        }
    }

    /**
     * Backups left 'running' by a process that died are failed: remove their partial files. A
     * process killed in the instant between starting pg_basebackup and writing backup.json leaves
     * only an .incoming directory; that is cleaned up the same way.
     */
    private List<String> markInterruptedBackups(String current, BackupRequest request) {
        List<String> notices = new ArrayList<>();
        for (CatalogEntry e : catalog.entries()) {
            if (e.id().equals(current)) {
                continue;
            }
            boolean orphan = e.record().isEmpty() && catalog.repository().backups().hasIncoming(e.id());
            if (e.record().filter(r -> r.status() == BackupStatus.RUNNING).isPresent() || orphan) {
                BackupRecord r = e.record().orElseGet(() -> BackupRecord.builder(e.id()).status(BackupStatus.RUNNING).build());
                endServerSessions(request, e.id());
                fail(r, new PitrException("interrupted: the process taking it is gone", ""));
                notices.add("backup " + e.id() + " was left unfinished by a process that is gone; its partial files were removed and it is marked failed");
            }
        }
        return notices;
    }

    private PgToolRunner.RunningTool startBasebackup(PgInstallation installation, BackupRequest request, Path target, String id,
                                                     ProgressListener progress, Cancellation cancellation) {
        List<String> args = new ArrayList<>(List.of("-D", target.toString(), "--format=tar", "--wal-method=stream",
                "--progress", "--no-password", "--manifest-checksums=CRC32C", "--label=" + request.label().orElse(id),
                "--checkpoint=" + (request.fastCheckpoint() ? "fast" : "spread"),
                "--compress=" + request.compression().basebackupOption()));
        request.maxRate().ifPresent(r -> args.add("--max-rate=" + r));
        // named after the backup, so its walsenders can be found and ended should pg_basebackup die
        args.add("--dbname=application_name=" + sessionName(id));
        args.addAll(request.connection().toolArgs());
        ToolCommand cmd = new ToolCommand(installation.tool("pg_basebackup"), args, request.connection().toolEnv(), false, Optional.empty());
        progress.progress(0, -1, "starting pg_basebackup (checkpoint " + (request.fastCheckpoint() ? "fast" : "spread") + ")");
        return pg.runner().start(cmd, cancellation, line -> {
            Matcher m = PROGRESS.matcher(line);
            if (m.find()) {
                progress.progress(Long.parseLong(m.group(1)) * 1024, Long.parseLong(m.group(2)) * 1024, "copying");
            }
        });
    }

    private static String sessionName(String backupId) {
        return "pitr-console-" + backupId;
    }

    /**
     * Ends the server's walsenders of a backup whose pg_basebackup is gone. One waiting for a
     * spread checkpoint does not notice its client left until the checkpoint is done, minutes
     * later, and holds a WAL sender (and its temporary slot keeps WAL) all that time. A role may
     * end its own sessions, so this needs no more rights than the backup itself.
     */
    private static void endServerSessions(BackupRequest request, String backupId) {
        try (java.sql.Connection c = io.pitrconsole.pg.PgConnections.open(request.connection());
             java.sql.PreparedStatement st = c.prepareStatement(
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            st.setString(1, sessionName(backupId));
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    LOG.info("ended {} server session(s) left by the pg_basebackup of {}", rs.getInt(1), backupId);
                }
            }
        } catch (RuntimeException | java.sql.SQLException e) {
            LOG.debug("could not look for server sessions of {}: {}", backupId, e.getMessage());
        }
    }

    private BackupRecord describe(BackupRecord running, BackupRequest request, ServerInfo server, BackupStore store,
                                  List<String> files, Instant started, CompletableFuture<Optional<Instant>> afterStop)
            throws IOException {
        Optional<ZoneId> zone = zoneOf(server.logTimezone());
        String baseTar = "base" + request.compression().tarSuffix();
        if (!files.contains(baseTar)) {
            throw new PitrException("pg_basebackup finished but " + baseTar + " is missing", "report this; the backup is not usable");
        }
        BackupContents.Head head = BackupContents.readHead(store, running.id(), baseTar, zone);
        BackupLabel label = head.label();
        LOG.debug("backup_label read from {}", baseTar);
        Lsn start = label.startLsn().orElseThrow(() -> new PitrException("backup_label has no START WAL LOCATION", "the backup is not usable"));
        int timeline = label.startTimeline().orElse(server.timeline());
        // The archiver takes the .backup file a moment after pg_basebackup returns; read the manifest meanwhile.
        CompletableFuture<Optional<BackupLabel>> historyFile = CompletableFuture.supplyAsync(
                () -> waitForHistoryFile(timeline, start, server.walSegmentSize(), zone, request));
        BackupManifest manifest = BackupManifest.read(store, running.id());
        Lsn manifestEnd = manifest.walRanges().stream().map(BackupManifest.WalRange::end).max(Lsn::compareTo).orElse(start);
        long sizeOnDisk = store.size(running.id());

        Optional<BackupLabel> history = join(historyFile);
        LOG.debug("backup history file {}", history.isPresent() ? "read" : "not archived in time");
        Instant stopTime = history.flatMap(BackupLabel::stopTime).orElse(clock.instant());
        String stopSource = history.flatMap(BackupLabel::stopTime).isPresent() ? "backup-history-file" : "client-clock";
        if (history.flatMap(BackupLabel::stopTime).isPresent()) {
            Optional<Instant> refined = refineStop(stopTime, afterStop.join());
            if (refined.isPresent()) {
                stopTime = refined.get();
                stopSource = "backup-history-file+server-clock";
            }
        }
        if (history.isEmpty()) {
            LOG.warn("the server did not archive this backup's .backup file within {} s; its stop time is taken from this machine's clock. "
                    + "Is WAL archiving into {} set up?", request.historyWait().toSeconds(), catalog.repository().location() + "/wal_archive");
        }
        Lsn stop = history.flatMap(BackupLabel::stopLsn).orElse(manifestEnd);
        double seconds = (clock.millis() - started.toEpochMilli()) / 1000.0;
        return BackupRecord.builder(running.id()).label(label.label().orElse(running.label())).status(BackupStatus.COMPLETE)
                .startTime(label.startTime().orElse(started)).stopTime(stopTime).stopTimeSource(stopSource).startLsn(start).stopLsn(stop)
                .checkpointLsn(label.checkpointLsn().orElse(null)).timeline(timeline).pgVersion(server.version().toString())
                .systemIdentifier(Long.toUnsignedString(server.systemIdentifier())).walSegmentSize(server.walSegmentSize())
                .compression(request.compression()).sizeBytes(sizeOnDisk).originalSizeBytes(manifest.totalSize())
                .host(running.host()).port(running.port()).tablespaces(head.tablespaces()).files(files).durationSeconds(seconds)
                .build();
    }

    /**
     * The .backup file truncates the stop time to whole seconds. The server's clock read after
     * pg_basebackup returned is no earlier than the true stop; when it falls inside that second it
     * is the tighter bound, so a recovery window can start there instead of a second later.
     */
    static Optional<Instant> refineStop(Instant labelStop, Optional<Instant> serverClockAfter) {
        if (labelStop.getNano() != 0 || serverClockAfter.isEmpty()) {
            return Optional.empty();
        }
        Instant after = serverClockAfter.get();
        return !after.isBefore(labelStop) && after.isBefore(labelStop.plusSeconds(1)) && after.getNano() != 0
                ? Optional.of(after) : Optional.empty();
    }

    private static Optional<Instant> serverClock(BackupRequest request) {
        try (java.sql.Connection c = io.pitrconsole.pg.PgConnections.open(request.connection());
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return Optional.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
        } catch (RuntimeException | java.sql.SQLException e) {
            LOG.debug("server clock not read after the backup: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<BackupLabel> waitForHistoryFile(int timeline, Lsn start, long segmentSize, Optional<ZoneId> zone,
                                                     BackupRequest request) {
        String name = WalSegmentName.containing(timeline, start, segmentSize) + "."
                + String.format("%08X", Long.remainderUnsigned(start.value(), segmentSize)) + ".backup";
        WalStore wal = catalog.repository().wal();
        long deadline = System.nanoTime() + request.historyWait().toNanos();
        do {
            for (String suffix : List.of("", ".gz", ".zst")) {
                try (var in = io.pitrconsole.archive.TarStreams.decompressing(name + suffix, wal.open(name + suffix))) {
                    return Optional.of(BackupLabel.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), zone));
                } catch (java.nio.file.NoSuchFileException notYet) {
                    // the archiver has not stored it (under this name) yet
                } catch (IOException e) {
                    LOG.warn("cannot read {} in {}: {}", name + suffix, wal.describe(), e.getMessage());
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /**
     * Loads the decompressor (zstd-jni unpacks and links its native library on first use) and the
     * tar reader while pg_basebackup copies, so reading backup_label afterwards does not wait for them.
     */
    private static void prepareForTheEnd(Compression compression) {
        Thread t = new Thread(() -> {
            try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                    io.pitrconsole.archive.TarStreams.decompressing("base" + compression.tarSuffix(), new java.io.ByteArrayInputStream(new byte[0])))) {
                tar.getNextEntry();
            } catch (IOException | RuntimeException | LinkageError ignored) {
                // only a head start; reading the real file reports any problem
            }
        }, "prepare-label-read");
        t.setDaemon(true);
        t.start();
    }

    private void fail(BackupRecord record, Exception cause) {
        try {
            catalog.repository().backups().discardFiles(record.id());
        } catch (IOException | RuntimeException e) {
            // a bucket that cannot be reached now: the record stays 'running', and the next backup's clean-up removes them
            LOG.warn("could not remove partial files of {}: {}", record.id(), e.getMessage());
        }
        String reason = cause instanceof Cancellation.CancelledException ? "interrupted by the user" : cause.getMessage();
        try {
            // what the record said about files, size and verification no longer holds: the files are gone
            catalog.save(record.toBuilder().status(BackupStatus.FAILED).stopTime(clock.instant()).stopTimeSource(null).sizeBytes(0)
                    .tablespaces(List.of()).files(List.of()).durationSeconds(null).lastVerified(null).verifyDetail(null).error(reason)
                    .build());
            catalog.refreshLegacyMetadata();
        } catch (RuntimeException e) {
            LOG.warn("could not mark backup {} failed: {}", record.id(), e.getMessage());
        }
    }

    private static void checkServer(BackupRequest request, ServerInfo server) {
        if (!server.replicationAllowed()) {
            throw new PitrException("role " + request.connection().user() + " may not take base backups (it has no REPLICATION attribute)",
                    "as a superuser run: ALTER ROLE " + request.connection().user()
                            + " REPLICATION; allow it in pg_hba.conf ('host replication " + request.connection().user()
                            + " ...'), reload, and keep max_wal_senders at 2 or more");
        }
        if (server.maxWalSenders() < 2) {
            throw new PitrException("the server allows " + server.maxWalSenders() + " WAL sender(s); a backup with streamed WAL needs 2",
                    "set max_wal_senders = 10 (at least 2) in postgresql.conf and restart the server");
        }
    }

    private static void checkFreeSpace(Repository repository, ServerInfo server, Compression compression) throws IOException {
        java.util.OptionalLong usable = repository.backups().usableSpace();
        if (usable.isEmpty()) {
            return;
        }
        long free = usable.getAsLong();
        // Compressed size is unknown until done; a database rarely compresses below a third.
        long needed = compression == Compression.NONE ? server.databaseSize() : server.databaseSize() / 3;
        if (free < needed) {
            throw new PitrException("not enough free space in " + repository.location() + ": " + ByteSize.of(free) + " free, the database is "
                    + ByteSize.of(server.databaseSize()) + " (a " + compression + " backup needs about " + ByteSize.of(needed) + ")",
                    Hint.of("free space (e.g. 'cleanup'), use a stronger compression, or back up into another --archive",
                            "free space (delete old backups on the Backups page), choose a stronger compression, or give the profile"
                                    + " another archive directory under Settings"));
        }
        checkStagingSpace(repository, repository.backups().staging(), free, needed);
    }

    // an encrypted directory repository's backup is written whole, plain, into a private directory first, then encrypted into it
    private static void checkStagingSpace(Repository repository, Optional<BackupStore.Staging> staging, long storeFree, long needed) {
        if (staging.isEmpty()) {
            return;
        }
        Path dir = staging.get().directory();
        if (staging.get().sharedWithStore() && storeFree < 2 * needed) {
            throw new PitrException("not enough free space in " + repository.location() + ": " + ByteSize.of(storeFree) + " free; a backup of"
                    + " this encrypted repository takes about " + ByteSize.of(needed) + " twice on that file system (plain in the"
                    + " staging directory " + dir + " until it is encrypted, then encrypted in the repository)",
                    Hint.of("free space (e.g. 'cleanup'), use a stronger compression, or set XDG_CACHE_HOME to a directory on another"
                                    + " file system with room: the staging directory is under it",
                            "free space (delete old backups on the Backups page), choose a stronger compression, or start the console"
                                    + " with XDG_CACHE_HOME on another file system with room: the staging directory is under it"));
        }
        if (!staging.get().sharedWithStore() && staging.get().usable() < needed) {
            throw new PitrException("not enough free space in " + dir + ", the private directory where a new backup of an encrypted"
                    + " repository waits, plain, until it is encrypted: " + ByteSize.of(staging.get().usable()) + " free, the backup"
                    + " needs about " + ByteSize.of(needed),
                    Hint.of("free space on that file system, use a stronger compression, or set XDG_CACHE_HOME to a directory on a"
                                    + " file system with room: the staging directory is under it",
                            "free space on that file system, choose a stronger compression, or start the console with XDG_CACHE_HOME"
                                    + " on a file system with room: the staging directory is under it"));
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static Optional<ZoneId> zoneOf(String name) {
        try {
            return Optional.of(ZoneId.of(name));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
