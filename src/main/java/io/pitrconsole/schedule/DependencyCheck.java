package io.pitrconsole.schedule;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.SearchPath;
import io.pitrconsole.pg.ConnectionCheck;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.ServerInfo;
import io.pitrconsole.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What scheduled jobs need before they can work: programs, server, archive, space. */
public final class DependencyCheck {
    private static final List<String> TOOLS = List.of("pg_basebackup", "pg_ctl", "pg_waldump", "initdb");

    private final Repository repository;
    private final PgContext pg;
    private final Optional<ConnectionSettings> connection;

    public DependencyCheck(Repository repository, PgContext pg, ConnectionSettings connection) {
        this(repository, pg, Optional.of(connection));
    }

    /** @param connection the server the jobs back up; empty to check the programs, archive and space alone */
    public DependencyCheck(Repository repository, PgContext pg, Optional<ConnectionSettings> connection) {
        this.repository = repository;
        this.pg = pg;
        this.connection = connection;
    }

    /** Runs every check; one finding each, never throws for a failed check. */
    public List<Finding> run() {
        List<Finding> out = new ArrayList<>();
        Optional<ServerInfo> server = Optional.empty();
        if (connection.isPresent()) {
            try {
                ConnectionCheck reached = ConnectionCheck.run(connection.get());
                server = Optional.of(reached.server());
                out.add(Finding.pass("server", "PostgreSQL " + reached.server().version() + " at " + reached.target().describe()));
            } catch (PitrException e) {
                out.add(Finding.fail("server", e.getMessage(), e.hint()));
            }
        }
        try {
            PgInstallation inst = server.map(s -> pg.installationFor(s.version())).orElseGet(() -> pg.installation(Optional.empty()));
            List<String> missing = TOOLS.stream().filter(t -> !Files.isExecutable(inst.binDir().resolve(t))).toList();
            out.add(missing.isEmpty()
                    ? Finding.pass("pg tools", String.join(", ", TOOLS) + " " + inst.exactVersion() + " in " + inst.binDir())
                    : Finding.fail("pg tools", "missing in " + inst.binDir() + ": " + String.join(", ", missing),
                            "install the PostgreSQL server package of the same major version"));
        } catch (PitrException e) {
            out.add(Finding.fail("pg tools", e.getMessage(), e.hint()));
        }
        out.add(onPath("gzip"));
        out.add(onPath("zstd"));
        try {
            repository.requireWritable();
            out.add(Finding.pass("archive", repository.location() + " is writable"));
        } catch (PitrException e) {
            out.add(Finding.fail("archive", e.getMessage(), e.hint()));
            return out;
        }
        out.add(freeSpace());
        return out;
    }

    private Finding freeSpace() {
        long newest = new BackupCatalog(repository).records().stream().filter(r -> r.status().usable())
                .findFirst().map(BackupRecord::sizeBytes).orElse(0L);
        try {
            java.util.OptionalLong usable = repository.backups().usableSpace();
            if (usable.isEmpty()) {
                return Finding.pass("free space", "not known for this repository");
            }
            long free = usable.getAsLong();
            String detail = ByteSize.of(free) + " free; newest backup " + ByteSize.of(newest);
            if (newest > 0 && free < newest) {
                return Finding.fail("free space", detail, Hint.of("the next backup will not fit: free space or run 'cleanup'",
                        "the next backup will not fit: add space, or delete the backups you no longer need on the Backups page (Preview cleanup on the Schedule page shows what retention removes)"));
            }
            if (newest > 0 && free < 2 * newest) {
                return Finding.warn("free space", detail, Hint.of("room for one more backup only; run 'cleanup' or add space",
                        "room for one more backup only: add space, or delete the backups you no longer need on the Backups page (Preview cleanup on the Schedule page shows what retention removes)"));
            }
            return Finding.pass("free space", detail);
        } catch (IOException e) {
            return Finding.warn("free space", "cannot tell: " + e.getMessage(), "check the archive's file system by hand (df)");
        }
    }

    private static Finding onPath(String program) {
        Optional<Path> found = SearchPath.find(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), program);
        if (found.isPresent()) {
            return Finding.pass(program, found.get().toString());
        }
        return Finding.warn(program, "not found on PATH", "install " + program + " if archive_command or backups compress with it");
    }
}
