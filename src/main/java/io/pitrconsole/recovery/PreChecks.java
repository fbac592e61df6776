package io.pitrconsole.recovery;

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
import io.pitrconsole.pg.ToolCommand;
import io.pitrconsole.pg.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What must hold before a restore touches anything: a usable backup, room, a free port, access for the server. */
final class PreChecks {
    private static final long MARGIN = 256L << 20;
    private static final int BATCH = 2000;

    private final PgToolRunner runner;

    PreChecks(PgToolRunner runner) {
        this.runner = runner;
    }

    /** Runs every check; the first failure stops the restore before it has changed anything. */
    List<String> check(RestorePlan plan, BackupRecord backup, BackupExtractor extractor, Path walArchive, ProgressListener progress,
                       Cancellation cancel) {
        List<String> done = new ArrayList<>();
        if (backup.status() == BackupStatus.INCREMENTAL) {
            throw IncrementalBackup.refusal(backup);
        }
        if (backup.status() != BackupStatus.COMPLETE && backup.status() != BackupStatus.VERIFIED) {
            throw new PitrException("backup " + backup.id() + " is " + backup.status() + ", not complete",
                    Hint.of("choose a complete or verified backup ('backup list' shows them)",
                            "choose a complete or verified backup on the Plan step (the Backups page lists them)"));
        }
        List<Path> tars = extractor.tarFiles();
        done.add("backup " + backup.id() + " is " + backup.status() + ", " + tars.size() + " tar file(s) present");
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
        long need = backup.originalSizeBytes() + plan.walBytes() / 4 + MARGIN + WalAhead.spaceNeeded(segmentSize);
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
        checkServerUserReads(walArchive);
        checkServerUserReadsFiles(walArchive, plan.walSegments());
        done.add("OS user " + runner.serverUser().name() + " can read the WAL archive and the " + plan.walSegments().size()
                + " WAL file(s) the restore replays");
        ReplayedWalCheck.Result wal = ReplayedWalCheck.run(walArchive, plan.walSegments(), segmentSize, Optional.ofNullable(plan.walEnd()),
                plan.target(), progress, cancel);
        if (!wal.problems().isEmpty()) {
            ReplayedWalCheck.Problem first = wal.problems().get(0);
            throw new PitrException(first.detail() + (wal.problems().size() > 1 ? " (and " + (wal.problems().size() - 1)
                    + " more damaged WAL file(s): 'restore check' lists them)" : ""), first.hint());
        }
        done.add(wal.summary());
        return done;
    }

    static boolean isOriginalLocation(BackupRecord backup, String oid, Path dir) {
        return backup.tablespaces().stream().anyMatch(t -> t.oid().equals(oid) && Path.of(t.location()).normalize().equals(dir.normalize()));
    }

    private static boolean isNonEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return Files.exists(dir);
        }
    }

    /** restore_command runs as the server's OS user, so that user must be able to read the archive. */
    void checkServerUserReads(Path walArchive) {
        if (!runner.serverUser().switchesUser()) {
            if (!Files.isReadable(walArchive)) {
                throw new PitrException("cannot read the WAL archive " + walArchive, "fix its permissions");
            }
            return;
        }
        ToolResult r = runner.runAllowingFailure(new ToolCommand(Path.of("/bin/sh"),
                List.of("-c", "test -d \"$1\" -a -r \"$1\" -a -x \"$1\"", "sh", walArchive.toString()), Map.of(), true, Optional.empty()),
                Cancellation.none(), l -> { });
        if (r.exitCode() != 0) {
            throw new PitrException("OS user " + runner.serverUser().name() + " cannot read the WAL archive " + walArchive,
                    "the server's restore_command runs as that user: give it read access to the archive (and every directory above it)");
        }
    }

    /**
     * A file restore_command cannot read is, to the server, a missing one: recovery to the latest
     * WAL ends before it without an error. So each file the plan replays is tried as that user.
     */
    void checkServerUserReadsFiles(Path walArchive, List<String> names) {
        List<String> unreadable = new ArrayList<>();
        if (!runner.serverUser().switchesUser()) {
            names.stream().filter(n -> !Files.isReadable(walArchive.resolve(n))).findFirst().ifPresent(unreadable::add);
        } else {
            // batches keep the argument list well below the system's limit on long archives
            for (int i = 0; i < names.size() && unreadable.isEmpty(); i += BATCH) {
                List<String> args = new ArrayList<>(List.of("-c", "cd \"$1\" || exit 2; shift; for f in \"$@\"; do"
                        + " [ -r \"$f\" ] || { printf '%s\\n' \"$f\"; exit 3; }; done", "sh", walArchive.toString()));
                args.addAll(names.subList(i, Math.min(names.size(), i + BATCH)));
                ToolResult r = runner.runAllowingFailure(new ToolCommand(Path.of("/bin/sh"), args, Map.of(), true, Optional.empty()),
                        Cancellation.none(), l -> { });
                if (r.exitCode() != 0) {
                    unreadable.add(r.stdout().isBlank() ? names.get(i) : r.stdout().strip());
                }
            }
        }
        if (!unreadable.isEmpty()) {
            throw new PitrException("OS user " + runner.serverUser().name() + " cannot read WAL file " + unreadable.get(0)
                    + " in " + walArchive, "the server's restore_command runs as that user and would take the file for missing,"
                    + " ending recovery before it: give that user read access to the archive's files (e.g. chmod o+r or a shared group)");
        }
    }

    static Path existingAncestor(Path p) {
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
