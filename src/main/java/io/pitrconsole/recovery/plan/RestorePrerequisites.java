package io.pitrconsole.recovery.plan;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ServerUserShell;
import io.pitrconsole.pg.ToolCommand;
import io.pitrconsole.recovery.run.ReplayedWalCheck;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetValidator;
import io.pitrconsole.recovery.target.WindowTargetValidator;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RestoreDecompression;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalGap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Everything a restore from this archive needs, checked up front and all reported (not stopping at
 * the first problem): programs, backups, windows, WAL, decompressors, space and access at the destination.
 */
public final class RestorePrerequisites {
    private final Repository repository;
    private final PgContext pg;

    public RestorePrerequisites(Repository repository, PgContext pg) {
        this.repository = repository;
        this.pg = pg;
    }

    public List<Finding> check(Optional<Path> dataDir, RecoveryTarget target, Optional<String> backupId, ProgressListener progress,
                             Cancellation cancel) {
        List<Finding> out = new ArrayList<>();
        List<BackupRecord> usable;
        List<BackupRecord> incremental;
        BackupCatalog.Snapshot catalog;
        try {
            repository.requireReadable();
            // read once for every check: from a bucket each read of the catalog is a listing and requests per backup
            catalog = new BackupCatalog(repository).snapshot();
            List<BackupRecord> records = catalog.records();
            usable = records.stream().filter(b -> b.status() != null && b.status().usable()).toList();
            incremental = records.stream().filter(b -> b.status() == BackupStatus.INCREMENTAL).toList();
        } catch (PitrException e) {
            out.add(Finding.fail("archive", e.getMessage(), e.hint()));
            out.add(programs(List.of()));
            return out;
        }
        out.add(usable.isEmpty()
                ? Finding.fail("archive", "no complete backup in " + repository.location(), "take one with 'backup create'")
                : Finding.pass("archive", repository.location() + " is readable, " + usable.size() + " complete backup(s)"));
        if (!incremental.isEmpty()) {
            out.add(incremental(incremental, usable, backupId));
        }
        out.add(programs(usable));
        RecoveryWindows windows = null;
        try {
            windows = new WindowService(repository, java.time.Clock.systemUTC()).windows(catalog.records(), progress, cancel);
        } catch (PitrException e) {
            out.add(Finding.fail("recovery windows", e.getMessage(), e.hint()));
        }
        out.add(serverUserReadsWal());
        if (windows != null) {
            out.add(windows(usable, windows));
            out.add(gaps(windows.gaps()));
            out.add(decompressors(windows.index().segments()));
            if (!windows.windows().isEmpty()) {
                out.addAll(replayedWal(windows, target, backupId, catalog, usable, progress, cancel));
            }
        }
        Path dest = dataDir.map(d -> d.toAbsolutePath().normalize().getParent()).orElse(Path.of(System.getProperty("java.io.tmpdir")));
        out.add(space(dest, usable));
        out.add(dataDir.isPresent() ? consoleUserWrites(dest) : serverUserWrites(dest));
        dataDir.ifPresent(d -> out.addAll(dataDirectory(d.toAbsolutePath().normalize())));
        return out;
    }

    /** Incremental backups (PostgreSQL 17 on) are no base to restore from until pg_combinebackup made them full ones. */
    private static Finding incremental(List<BackupRecord> incremental, List<BackupRecord> usable, Optional<String> backupId) {
        String ids = incremental.stream().map(BackupRecord::id).collect(java.util.stream.Collectors.joining(", "));
        String detail = incremental.size() + " incremental backup(s) (pg_basebackup --incremental), which cannot be restored by"
                + " extracting them: " + ids;
        boolean named = backupId.filter(id -> incremental.stream().anyMatch(b -> b.id().equals(id))).isPresent();
        return named || usable.isEmpty() ? Finding.fail("incremental backups", detail, IncrementalBackup.HINT)
                : Finding.warn("incremental backups", detail + "; restores start from the full backups", IncrementalBackup.HINT);
    }

    /**
     * Plans the target the way 'restore plan' does (cheap index checks), then reads exactly the WAL
     * files that plan replays with every record's CRC checked and every file read whole: one failure per
     * damaged file, and one for a file the server's OS user cannot read.
     */
    private List<Finding> replayedWal(RecoveryWindows windows, RecoveryTarget target, Optional<String> backupId, BackupCatalog.Snapshot catalog,
                                           List<BackupRecord> usable, ProgressListener progress, Cancellation cancel) {
        TargetValidator.Choice choice;
        List<BackupRecord> newestFirst = usable.stream().sorted(Comparator.comparing(BackupRecord::startTime).reversed()).toList();
        try {
            WindowTargetValidator validator = new WindowTargetValidator(repository, windows, progress, cancel);
            choice = backupId.isPresent() ? validator.checkWithBackup(target, catalog.get(backupId.get()), newestFirst)
                    : validator.choose(target, newestFirst);
        } catch (PitrException e) {
            return List.of(Finding.fail("restore target", e.getMessage(), e.hint()));
        }
        String planned = "to the " + target.describe() + " from backup " + choice.backup().id() + " on timeline " + choice.timeline();
        List<String> names = choice.walFiles().stream().map(p -> p.getFileName().toString()).toList();
        ReplayedWalCheck.Result r;
        try {
            r = ReplayedWalCheck.run(wal(), names, windows.index().segmentSize(), Optional.ofNullable(choice.walEnd()),
                    target, progress, cancel);
        } catch (PitrException e) {
            return List.of(Finding.fail("WAL records", e.getMessage(), e.hint()));
        }
        List<Finding> out = new ArrayList<>();
        String detail = planned + "; " + String.join("; ", java.util.stream.Stream.of(choice.checks(), choice.noteLines(),
                choice.warningLines().stream().map(w -> "warning: " + w).toList()).flatMap(List::stream).toList());
        // e.g. an aborted xid target, or an abandoned timeline: the restore works, but may not be what was meant
        out.add(choice.warningLines().isEmpty() ? Finding.pass("restore target", detail)
                : Finding.warn("restore target", detail, "read the warnings: 'restore plan' with the same target shows them too"));
        if (r.problems().isEmpty()) {
            out.add(Finding.pass("WAL records", r.summary()
                    + (names.isEmpty() ? "" : " (" + names.get(0) + " .. " + names.get(names.size() - 1) + ")")));
        }
        r.problems().forEach(p -> out.add(Finding.fail("WAL records", p.detail(), p.hint())));
        try {
            wal().checkServerCanRead(new ServerUserShell(pg.runner()), names);
        } catch (PitrException e) {
            out.add(Finding.fail("WAL archive access", e.getMessage(), e.hint()));
        }
        return out;
    }

    /** restore_command runs as the server's OS user. */
    private Finding serverUserReadsWal() {
        try {
            wal().checkServerCanRead(new ServerUserShell(pg.runner()), List.of());
            return Finding.pass("WAL archive access", "the server's OS user can read " + wal().describe());
        } catch (PitrException e) {
            return Finding.fail("WAL archive access", e.getMessage(), e.hint());
        }
    }

    private WalStore wal() {
        return repository.wal();
    }

    private Finding programs(List<BackupRecord> backups) {
        TreeSet<Integer> majors = new TreeSet<>();
        backups.forEach(b -> major(b.pgVersion()).ifPresent(majors::add));
        try {
            if (majors.isEmpty()) {
                PgInstallation any = pg.installation(Optional.empty());
                return Finding.pass("PostgreSQL programs", "version " + any.exactVersion() + " in " + any.binDir());
            }
            List<String> found = new ArrayList<>();
            for (int m : majors) {
                PgInstallation inst = pg.installation(Optional.of(m));
                if (inst.version().major() != m) {
                    return Finding.fail("PostgreSQL programs", "backups are of PostgreSQL " + m + " but the programs found ("
                            + inst.binDir() + ") are version " + inst.version(),
                            "install PostgreSQL " + m + " (Debian: apt-get install postgresql-" + m + ") or pass --pg-bin with its bin directory");
                }
                found.add("version " + inst.exactVersion() + " in " + inst.binDir());
            }
            return Finding.pass("PostgreSQL programs", String.join("; ", found) + " (backups' version: " + majors + ")");
        } catch (PitrException e) {
            return Finding.fail("PostgreSQL programs", e.getMessage(), e.hint());
        }
    }

    private static Optional<Integer> major(String version) {
        if (version == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.valueOf(version.trim().split("[.\\s]")[0]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Finding windows(List<BackupRecord> usable, RecoveryWindows w) {
        if (w.windows().isEmpty()) {
            String why = w.unrestorable().isEmpty() ? "no complete backup"
                    : String.join("; ", w.unrestorable().stream().map(u -> u.backupId() + ": " + u.reason()).toList());
            return Finding.fail("recovery windows", "nothing is restorable: " + why,
                    usable.isEmpty() ? "take a backup with 'backup create' while WAL archiving runs"
                            : "check that archiving works ('archiving verify') and take a new backup");
        }
        String detail = w.merged().size() + " restorable range(s) on timeline(s) "
                + new TreeSet<>(w.merged().stream().map(RecoveryWindow::timeline).toList());
        if (!w.unrestorable().isEmpty()) {
            return Finding.warn("recovery windows", detail + "; not restorable: "
                    + String.join("; ", w.unrestorable().stream().map(u -> u.backupId() + ": " + u.reason()).toList()),
                    "each is listed with why; 'restore list' shows what each backup can restore to");
        }
        return Finding.pass("recovery windows", detail + ", every complete backup has its WAL");
    }

    private static Finding gaps(List<WalGap> gaps) {
        if (gaps.isEmpty()) {
            return Finding.pass("WAL gaps", "none");
        }
        List<String> each = gaps.stream().map(g -> "timeline " + g.timeline() + ": " + g.missing().size() + " segment(s) missing after "
                + g.after() + " (first " + g.missing().get(0) + ")").toList();
        return Finding.warn("WAL gaps", String.join("; ", each),
                "no restore can cross a gap: put the missing segments back into wal_archive/ if you have them, else take a new backup after it");
    }

    private Finding decompressors(List<SegmentInfo> segments) {
        RestoreDecompression d;
        try {
            d = wal().restoreDecompression(segments.stream().map(s -> s.file().getFileName().toString()).toList());
        } catch (PitrException e) {
            return Finding.fail("decompression", e.getMessage(), e.hint());
        }
        List<String> needed = d.programs();
        if (needed.isEmpty()) {
            return Finding.pass("decompression", d.detail());
        }
        List<String> missing = needed.stream().filter(p -> onPath(p).isEmpty()).toList();
        if (!missing.isEmpty()) {
            return Finding.fail("decompression", "compressed WAL segments need " + String.join(" and ", missing) + ", not found on PATH",
                    "install them (Debian: apt-get install " + String.join(" ", missing) + "); restore_command runs them for every segment");
        }
        return Finding.pass("decompression", String.join(", ", needed.stream().map(p -> onPath(p).orElseThrow().toString()).toList()));
    }

    private Optional<Path> onPath(String program) {
        // the server inherits this PATH and its restore_command looks the program up there
        String path = Optional.ofNullable(pg.env().get("PATH")).or(() -> Optional.ofNullable(System.getenv("PATH")))
                .orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Finding space(Path dest, List<BackupRecord> usable) {
        Path where = PreChecks.existingAncestor(dest);
        long need = usable.stream().mapToLong(BackupRecord::originalSizeBytes).max().orElse(0);
        long free;
        try {
            free = Files.getFileStore(where).getUsableSpace();
        } catch (IOException e) {
            return Finding.fail("free space", "cannot tell free space under " + where + ": " + e.getMessage(), "check the path");
        }
        String detail = ByteSize.of(free).human() + " free under " + where + ", largest backup restores to " + ByteSize.of(need).human();
        return free < need ? Finding.fail("free space", detail, "free some space or restore elsewhere (--dir / --data-dir)")
                : Finding.pass("free space", detail);
    }

    /** The server's OS user creates the restored data directory's files, so it must be able to write there. */
    private Finding serverUserWrites(Path dest) {
        PgToolRunner runner = pg.runner();
        String user = runner.serverUser().name();
        Path where = PreChecks.existingAncestor(dest);
        boolean ok;
        if (runner.serverUser().switchesUser()) {
            ok = runner.runAllowingFailure(new ToolCommand(Path.of("/bin/sh"), List.of("-c", "test -w \"$1\" -a -x \"$1\"", "sh", where.toString()),
                    Map.of(), true, Optional.empty()), Cancellation.none(), l -> { }).exitCode() == 0;
        } else {
            ok = Files.isWritable(where);
            user = System.getProperty("user.name");
        }
        return ok ? Finding.pass("destination access", "OS user " + user + " can write to " + where)
                : Finding.fail("destination access", "OS user " + user + " cannot write to " + where,
                        "give it write access (chown/chmod) or restore under another directory");
    }

    /**
     * In place, this process moves the data directory aside and creates the new one, then hands it
     * to the server's OS user: the server user needs no write access to the parent, this user does.
     */
    private static Finding consoleUserWrites(Path dest) {
        Path where = PreChecks.existingAncestor(dest);
        String user = System.getProperty("user.name");
        return Files.isWritable(where)
                ? Finding.pass("destination access", "OS user " + user + " can write to " + where
                        + " (it moves the data directory aside and gives the new one to the server's user)")
                : Finding.fail("destination access", "OS user " + user + " cannot write to " + where
                        + ", so it cannot move the data directory aside", "run the restore as the data directory's owner or as root");
    }

    private List<Finding> dataDirectory(Path d) {
        List<Finding> out = new ArrayList<>();
        if (!Files.isRegularFile(d.resolve("PG_VERSION"))) {
            out.add(Finding.fail("data directory", d + " is not a PostgreSQL data directory (no PG_VERSION)",
                    "pass the data directory of the cluster to restore with --data-dir"));
            return out;
        }
        try {
            ClusterControl control = new ClusterControl(pg.installation(major(Files.readString(d.resolve("PG_VERSION")))), pg.runner());
            boolean running = Files.exists(d.resolve("postmaster.pid")) && control.isRunning(d);
            out.add(running ? Finding.warn("server", "a server runs on " + d,
                    "an in-place restore stops it first; tell its users, or rehearse with 'restore run --rehearsal'")
                    : Finding.pass("server", "no server runs on " + d));
        } catch (IOException | PitrException e) {
            out.add(Finding.fail("server", "cannot tell whether a server runs on " + d + ": " + e.getMessage(), "check the data directory"));
        }
        String user = pg.runner().serverUser().switchesUser() ? pg.runner().serverUser().name() : System.getProperty("user.name");
        try {
            String owner = Files.getOwner(d).getName();
            out.add(owner.equals(user) ? Finding.pass("ownership", d + " is owned by " + owner)
                    : Finding.fail("ownership", d + " is owned by " + owner + ", not by the server's OS user " + user,
                            "chown -R " + user + " " + d + ", or pass the right --os-user"));
        } catch (IOException e) {
            out.add(Finding.fail("ownership", "cannot read the owner of " + d + ": " + e.getMessage(), "check the path"));
        }
        return out;
    }
}
