package io.pitrconsole.practice;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.archiving.ArchivingSetup;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.ServerUserFiles;
import io.pitrconsole.repository.Repository;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local PostgreSQL cluster (the newest major installed) to practise on: archiving into its own archive, sample data, a few
 * minutes of history with backups and named restore points. It is registered as the profile
 * {@value #PROFILE} so the console and the CLI find it without flags.
 */
public final class PracticeCluster {
    public static final String PROFILE = "practice";
    private static final Logger LOG = LoggerFactory.getLogger(PracticeCluster.class);
    private static final String SUPERUSER = "postgres";

    private final PracticeLayout layout;
    private final PgContext pg;
    private final ProfileStore profiles;

    public PracticeCluster(PracticeLayout layout, PgContext pg, ProfileStore profiles) {
        this.layout = layout;
        this.pg = pg;
        this.profiles = profiles;
    }

    public PracticeLayout layout() {
        return layout;
    }

    /** Whether the practice cluster exists and whether its server runs. */
    public PracticeStatus status() {
        Optional<PracticeState> state = readState();
        boolean running = state.isPresent() && Files.isDirectory(layout.dataDirectory()) && control().isRunning(layout.dataDirectory());
        return new PracticeStatus(layout, state, running);
    }

    /**
     * Creates and starts the practice cluster, takes its first backup and archives WAL after it,
     * registers its profile and tells the listener (the first restorable range is there), then
     * writes the rest of the history in real time. A failure or cancel before the first range leaves
     * nothing behind; after it, the cluster is kept with the history written so far, and its state
     * file says the history is not complete.
     */
    public PracticeState create(Duration history, PracticeListener listener, Cancellation cancel) {
        refuseExisting();
        // the newest full installation (Debian's newest /usr/lib/postgresql/N, else PATH): what a new user would try first
        PgInstallation installation = pg.installation(Optional.empty());
        PracticeHistory.Steps steps = new PracticeHistory.Steps(listener);
        boolean created = false;
        PracticeHistory writer;
        PracticeState first;
        try {
            Files.createDirectories(layout.archiveDirectory());
            created = true;
            // the archive's own script, exactly what 'archiving apply' installs, so 'archiving verify' finds nothing to fix
            ArchivingSetup archiving = ArchivingSetup.of(layout.archive().wal(), Compression.NONE, ArchivingService.DEFAULT_ARCHIVE_TIMEOUT);
            layout.archive().wal().archiveCommand().install(archiving.compression().label());
            // the server runs as its own OS user and must write its data directory, log and archive
            new ServerUserFiles(pg.serverUser()).giveTree(layout.base());
            steps.run("initdb", () -> control(installation).initdb(layout.dataDirectory(), SUPERUSER, List.of()));
            cancel.throwIfCancelled("creating the practice cluster");
            int port = freePort();
            Files.writeString(layout.dataDirectory().resolve("postgresql.conf"), settings(port, archiving), StandardOpenOption.APPEND);
            Instant now = Instant.now();
            PracticeState state = new PracticeState(port, SUPERUSER, "postgres", pg.serverUser().name(),
                    installation.binDir().toString(), now, null, null, 0, 0, true);
            writeState(state);
            steps.run("server started on port " + port, () -> control(installation).start(layout.dataDirectory(), layout.serverLog(), 60));
            cancel.throwIfCancelled("creating the practice cluster");

            writer = new PracticeHistory(connection(state), new BackupService(layout.archive(), pg), layout.archive());
            Instant from = writer.firstRange(listener, cancel);
            first = new PracticeState(port, SUPERUSER, "postgres", pg.serverUser().name(), installation.binDir().toString(), now,
                    from, Instant.now(), writer.backups(), writer.restorePoints(), true);
            writeState(first);
            profiles.put(profileOf(first), false);
        } catch (IOException | SQLException e) {
            if (created) {
                discard();
            }
            throw new PitrException("cannot create the practice cluster in " + layout.base() + ": " + e.getMessage(),
                    "check free space and that " + layout.base().getParent() + " is writable");
        } catch (RuntimeException e) {
            if (created) {
                discard();
            }
            throw e;
        }
        listener.firstRange(first);
        return writeHistory(first, writer, history, listener, cancel);
    }

    // After the first range the cluster is the user's: what is written stays, and the state file
    // follows every backup and restore point, so it is right even if this process dies.
    private PracticeState writeHistory(PracticeState first, PracticeHistory writer, Duration history, PracticeListener listener,
                                       Cancellation cancel) {
        PracticeState[] last = {first};
        PracticeListener recording = new PracticeListener() {
            @Override
            public void stepStarted(String step) {
                listener.stepStarted(step);
            }

            @Override
            public void stepDone(String step, Duration took) {
                listener.stepDone(step, took);
            }

            @Override
            public void history(HistoryProgress p) {
                if (p.backups() != last[0].backups() || p.restorePoints() != last[0].restorePoints()) {
                    last[0] = record(last[0].withHistory(Instant.now(), p.backups(), p.restorePoints(), true));
                }
                listener.history(p);
            }
        };
        try {
            HistoryProgress end = writer.grow(history, recording, cancel);
            return record(last[0].withHistory(Instant.now(), end.backups(), end.restorePoints(), !end.complete()));
        } catch (RuntimeException e) {
            PracticeState kept = last[0].withHistory(Instant.now(), writer.backups(), writer.restorePoints(), true);
            try {
                writeState(kept);
            } catch (IOException | RuntimeException again) {
                LOG.warn("could not record the practice history's state: {}", again.getMessage());
            }
            String why = e instanceof PitrException p ? p.getMessage() : e.toString();
            throw new PitrException("the practice history stopped after " + writer.backups() + " of " + HistoryProgress.BACKUPS
                    + " backups and " + writer.restorePoints() + " of " + HistoryProgress.RESTORE_POINTS + " restore points: " + why,
                    Hint.of("the practice cluster is kept with what was written; 'demo remove' and 'demo' start it over",
                            "the practice cluster is kept with what was written; Remove and Create practice cluster on the Dashboard start it over"));
        }
    }

    private PracticeState record(PracticeState s) {
        try {
            writeState(s);
            return s;
        } catch (IOException e) {
            throw new PitrException("cannot write " + layout.stateFile() + ": " + e.getMessage(),
                    "check free space in " + layout.base());
        }
    }

    // Running, the cluster is there to look at; stopped, to start: creating it again needs a removal first.
    private void refuseExisting() {
        if (!Files.exists(layout.stateFile()) && !Files.exists(layout.dataDirectory())) {
            return;
        }
        boolean running = Files.isDirectory(layout.dataDirectory()) && control().isRunning(layout.dataDirectory());
        String where = layout.base().toString();
        if (running) {
            throw new PitrException("a practice cluster already exists in " + where + " and is running",
                    Hint.of("see it with 'demo status', or remove it with 'demo remove' and run 'demo' again to start over",
                            "its card on the Dashboard shows it; Remove there, then Create practice cluster, starts over"));
        }
        throw new PitrException("a practice cluster already exists in " + where + " (stopped)",
                Hint.of("start it with 'demo start', or remove it with 'demo remove' and run 'demo' again to start over",
                        "click Start on its card on the Dashboard, or Remove and then Create practice cluster to start over"));
    }

    /** Starts the practice cluster's server if it is not running. */
    public PracticeState start() {
        PracticeState state = requireState();
        if (!control().isRunning(layout.dataDirectory())) {
            control().start(layout.dataDirectory(), layout.serverLog(), 60);
        }
        return state;
    }

    /** Stops the practice cluster's server (fast shutdown) if it runs. */
    public void stop() {
        requireState();
        if (control().isRunning(layout.dataDirectory())) {
            control().stop(layout.dataDirectory(), "fast");
        }
    }

    /** Stops the server and deletes the data directory, archive and profile of the practice cluster. */
    public void remove() {
        if (!Files.exists(layout.base())) {
            throw new PitrException("there is no practice cluster in " + layout.base(),
                    Hint.of("create one with 'demo'", "create one with Create practice cluster on the Dashboard"));
        }
        discard();
    }

    /** How to connect to the practice cluster. */
    public ConnectionSettings connection(PracticeState state) {
        return ConnectionSettings.local(state.port(), state.user());
    }

    public Repository archive() {
        return layout.archive();
    }

    private void discard() {
        try {
            if (Files.isDirectory(layout.dataDirectory()) && control().isRunning(layout.dataDirectory())) {
                control().stop(layout.dataDirectory(), "immediate");
            }
        } catch (RuntimeException e) {
            LOG.warn("could not stop the practice server: {}", e.getMessage());
        }
        try {
            FileTrees.deleteRecursively(layout.base());
        } catch (IOException e) {
            throw new PitrException("could not remove " + layout.base() + ": " + e.getMessage(), "remove that directory by hand");
        }
        // only our own profile goes: one the user edited to point elsewhere is theirs
        profiles.find(PROFILE).filter(p -> layout.archiveDirectory().toString().equals(p.archive()))
                .ifPresent(p -> profiles.remove(PROFILE));
    }

    private String settings(int port, ArchivingSetup archiving) {
        return String.join("\n",
                "",
                "# practice cluster settings written by pitr-console",
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + layout.base() + "'",
                "max_wal_senders = 10",
                "log_timezone = 'UTC'",
                // wal_level, archive_mode, archive_command (the script never overwrites an archived segment), archive_timeout
                archiving.confLines());
    }

    private Profile profileOf(PracticeState s) {
        return new Profile(PROFILE, "127.0.0.1", s.port(), s.user(), s.database(), layout.dataDirectory().toString(),
                s.osUser(), layout.archiveDirectory().toString(), s.pgBin());
    }

    private PracticeState requireState() {
        return readState().orElseThrow(() -> new PitrException("there is no practice cluster in " + layout.base(),
                Hint.of("create one with 'demo'", "create one with Create practice cluster on the Dashboard")));
    }

    private Optional<PracticeState> readState() {
        if (!Files.isRegularFile(layout.stateFile())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(layout.stateFile().toFile(), PracticeState.class));
        } catch (IOException e) {
            throw new PitrException("the practice cluster's state file " + layout.stateFile() + " is unreadable: " + e.getMessage(),
                    Hint.of("run 'demo remove' and create it again", "click Remove on the practice card on the Dashboard and create it again"));
        }
    }

    private void writeState(PracticeState state) throws IOException {
        AtomicFiles.write(layout.stateFile(), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    }

    private ClusterControl control() {
        return control(readState().map(s -> new PgContext(Optional.of(Path.of(s.pgBin())), pg.env(), pg.serverUser())
                .installation(Optional.empty())).orElseGet(() -> pg.installation(Optional.empty())));
    }

    private ClusterControl control(PgInstallation installation) {
        return new ClusterControl(installation, pg.runner());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
