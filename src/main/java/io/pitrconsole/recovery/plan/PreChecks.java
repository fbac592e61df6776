package io.pitrconsole.recovery.plan;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ServerUserShell;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.run.BackupExtractor;
import io.pitrconsole.recovery.run.CheckedWal;
import io.pitrconsole.recovery.run.DataDirSwap;
import io.pitrconsole.recovery.run.Ports;
import io.pitrconsole.recovery.run.ReplayedWalCheck;
import io.pitrconsole.recovery.run.Sandbox;
import io.pitrconsole.recovery.run.WalAhead;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What must hold before a restore touches anything: a usable backup, room, a free port, access for the server. */
public final class PreChecks {
    private static final Logger LOG = LoggerFactory.getLogger(PreChecks.class);
    private static final long MARGIN = 256L << 20;

    private final PgToolRunner runner;

    public PreChecks(PgToolRunner runner) {
        this.runner = runner;
    }

    /**
     * Runs every check; the first failure stops the restore before it has changed anything. With
     * {@code fetched}, the WAL check reads the plan's files through it (fetched once, in parallel)
     * and tells it which passed.
     */
    public List<String> check(RestorePlan plan, BackupRecord backup, BackupExtractor extractor, WalStore wal, Optional<CheckedWal> fetched,
                       ProgressListener progress, Cancellation cancel) {
        List<String> done = new ArrayList<>();
        if (backup.status() == BackupStatus.INCREMENTAL) {
            throw IncrementalBackup.refusal(backup);
        }
        if (backup.status() != BackupStatus.COMPLETE && backup.status() != BackupStatus.VERIFIED) {
            throw new PitrException("backup " + backup.id() + " is " + backup.status() + ", not complete",
                    Hint.of("choose a complete or verified backup ('backup list' shows them)",
                            "choose a complete or verified backup on the Plan step (the Backups page lists them)"));
        }
        extractor.requireMode(plan.mode());
        done.add("backup " + backup.id() + " is " + backup.status() + ", " + extractor.source());
        if (plan.mode() == RestoreMode.REHEARSAL) {
            new Sandbox(plan.dataDirectory().getParent()).requireUnused();
            if (!Ports.isFree(plan.port())) {
                throw new PitrException("port " + plan.port() + " is in use", Hint.of("leave out --port to use a free one, or pick another",
                        "leave the Port on the Mode step empty to use a free one, or type another"));
            }
            done.add("port " + plan.port() + " is free");
        } else {
            Path d = plan.dataDirectory();
            if (!Files.isRegularFile(d.resolve("PG_VERSION"))) {
                throw new PitrException(d + " is not a PostgreSQL data directory (no PG_VERSION)",
                        Hint.of("pass the data directory of the cluster to restore with --data-dir",
                                "type the data directory of the cluster to restore on the Mode step"));
            }
            DataDirSwap.checkMovable(d, "check");
        }
        long segmentSize = backup.walSegmentSize() == null ? WalSegmentName.DEFAULT_SEGMENT_SIZE : backup.walSegmentSize();
        // the WAL copies staged ahead of the server take room of their own while they wait for it
        long need = backup.originalSizeBytes() + plan.walBytes() / 4 + MARGIN + WalAhead.spaceNeeded(segmentSize)
                + fetched.map(f -> f.spaceNeeded(segmentSize)).orElse(0L);
        Path where = existingAncestor(plan.dataDirectory());
        long free = usable(where);
        if (free < need) {
            throw new PitrException("not enough space under " + where + ": " + ByteSize.of(free).human() + " free, about "
                    + ByteSize.of(need).human() + " needed", "free some space or restore elsewhere");
        }
        done.add(ByteSize.of(free).human() + " free under " + where + ", about " + ByteSize.of(need).human() + " needed");
        for (Map.Entry<String, Path> t : plan.tablespaces().entrySet()) {
            if (plan.mode() == RestoreMode.IN_PLACE && !isOriginalLocation(backup, t.getKey(), t.getValue()) && isNonEmpty(t.getValue())) {
                throw new PitrException("tablespace " + t.getKey() + " would be restored into " + t.getValue() + ", which is not empty",
                        Hint.of("map it to a new or empty directory with --tablespace-map",
                                "map it to a new or empty directory ('restore run --tablespace-map' on the command line; the console restores"
                                        + " tablespaces where they were)"));
            }
        }
        // restore_command runs as the server's OS user, so that user must be able to read the archive and each file
        long t0 = System.nanoTime();
        wal.checkServerCanRead(new ServerUserShell(runner), plan.walSegments());
        LOG.debug("the server's OS user can read the WAL archive: checked in {} ms", (System.nanoTime() - t0) / 1_000_000);
        done.add("OS user " + runner.serverUser().name() + " can read the WAL archive and the " + plan.walSegments().size()
                + " WAL file(s) the restore replays");
        ReplayedWalCheck.Result replayed = ReplayedWalCheck.run(fetched.map(CheckedWal::reader).orElse(wal), plan.walSegments(), segmentSize, Optional.ofNullable(plan.walEnd()),
                plan.target(), progress, cancel);
        if (!replayed.problems().isEmpty()) {
            ReplayedWalCheck.Problem first = replayed.problems().get(0);
            throw new PitrException(first.detail() + (replayed.problems().size() > 1 ? " (and " + (replayed.problems().size() - 1)
                    + " more damaged WAL file(s): 'restore check' lists them)" : ""), first.hint());
        }
        fetched.ifPresent(f -> f.checked(replayed.damagedFiles()));
        LOG.debug("{}", replayed.summary());
        done.add(replayed.summary());
        return done;
    }

    public static boolean isOriginalLocation(BackupRecord backup, String oid, Path dir) {
        return backup.tablespaces().stream().anyMatch(t -> t.oid().equals(oid) && Path.of(t.location()).normalize().equals(dir.normalize()));
    }

    private static boolean isNonEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return Files.exists(dir);
        }
    }

    public static Path existingAncestor(Path p) {
        Path a = p.toAbsolutePath().normalize();
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        return a == null ? Path.of("/") : a;
    }

    private static long usable(Path p) {
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            throw new PitrException("cannot tell free space under " + p + ": " + e.getMessage(), "check the path");
        }
    }
}
