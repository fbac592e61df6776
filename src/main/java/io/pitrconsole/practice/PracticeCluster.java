package io.pitrconsole.practice;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ArchiveCommandScript;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.archiving.ArchivingSetup;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** Creates, starts and fills the practice cluster; on any failure nothing of it is left behind. */
    public PracticeState create(Duration history, ProgressListener progress, Cancellation cancel) {
        if (Files.exists(layout.stateFile()) || Files.exists(layout.dataDirectory())) {
            throw new PitrException("a practice cluster already exists in " + layout.base(),
                    "start it with 'demo start', or remove it with 'demo remove' and create it again");
        }
        // the newest full installation (Debian's newest /usr/lib/postgresql/N, else PATH): what a new user would try first
        PgInstallation installation = pg.installation(Optional.empty());
        boolean created = false;
        try {
            Files.createDirectories(layout.archive().walArchive());
            created = true;
            // the archive's own script, exactly what 'archiving apply' installs, so 'archiving verify' finds nothing to fix
            ArchivingSetup archiving = ArchivingSetup.of(layout.archive(), Compression.NONE, ArchivingService.DEFAULT_ARCHIVE_TIMEOUT);
            ArchiveCommandScript.install(layout.archive(), archiving.compression());
            if (OsUser.currentIsRoot()) {
                // the server runs as its own OS user and must write its data directory, log and archive
                FileTrees.giveTo(layout.base(), pg.serverUser().name());
            }
            progress.progress(0, 1, "initdb");
            control(installation).initdb(layout.dataDirectory(), SUPERUSER, List.of());
            int port = freePort();
            Files.writeString(layout.dataDirectory().resolve("postgresql.conf"), settings(port, archiving), StandardOpenOption.APPEND);
            Instant now = Instant.now();
            PracticeState state = new PracticeState(port, SUPERUSER, "postgres", pg.serverUser().name(),
                    installation.binDir().toString(), now, null, null, 0, 0);
            writeState(state);
            progress.progress(0, 1, "starting the server on port " + port);
            control(installation).start(layout.dataDirectory(), layout.serverLog(), 60);

            PracticeHistory writer = new PracticeHistory(connection(state), new BackupService(layout.archive(), pg));
            Instant from = Instant.now();
            writer.write(history, progress, cancel);
            PracticeState done = new PracticeState(port, SUPERUSER, "postgres", pg.serverUser().name(),
                    installation.binDir().toString(), now, from, Instant.now(), writer.backups(), writer.restorePoints());
            writeState(done);
            profiles.put(profileOf(done), false);
            return done;
        } catch (IOException e) {
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
            throw new PitrException("there is no practice cluster in " + layout.base(), "create one with 'demo'");
        }
        discard();
    }

    /** How to connect to the practice cluster. */
    public ConnectionSettings connection(PracticeState state) {
        return ConnectionSettings.local(state.port(), state.user());
    }

    public ArchiveLayout archive() {
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
        profiles.find(PROFILE).filter(p -> layout.archive().root().toString().equals(p.archive()))
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
                s.osUser(), layout.archive().root().toString(), s.pgBin());
    }

    private PracticeState requireState() {
        return readState().orElseThrow(() -> new PitrException("there is no practice cluster in " + layout.base(),
                "create one with 'demo'"));
    }

    private Optional<PracticeState> readState() {
        if (!Files.isRegularFile(layout.stateFile())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(layout.stateFile().toFile(), PracticeState.class));
        } catch (IOException e) {
            throw new PitrException("the practice cluster's state file " + layout.stateFile() + " is unreadable: " + e.getMessage(),
                    "run 'demo remove' and create it again");
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
