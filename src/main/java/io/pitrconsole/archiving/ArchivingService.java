package io.pitrconsole.archiving;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.ServerInfo;
import io.pitrconsole.pg.ServerUserFiles;
import io.pitrconsole.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** WAL archiving for one server and one archive: generate the settings, apply them, verify, report. */
public final class ArchivingService {
    private static final Logger LOG = LoggerFactory.getLogger(ArchivingService.class);
    public static final Duration DEFAULT_ARCHIVE_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

    private final Repository repository;
    private final PgContext pg;
    private final ConnectionSettings connection;
    private final Clock clock;

    /** Archiving into a repository: the server's archive_command stores into its WAL archive. */
    public ArchivingService(Repository repository, PgContext pg, ConnectionSettings connection, Clock clock) {
        this.repository = repository;
        this.pg = pg;
        this.connection = connection;
        this.clock = clock;
    }

    public ArchivingService(Repository repository, PgContext pg, ConnectionSettings connection) {
        this(repository, pg, connection, Clock.systemUTC());
    }

    /** The recommended settings and archive_command script; nothing is written. */
    public ArchivingSetup generate(Compression compression, Duration archiveTimeout) {
        if (archiveTimeout.isNegative()) {
            throw new PitrException("archive_timeout cannot be negative", "pass --archive-timeout 300 (seconds), or 0 to turn it off");
        }
        return ArchivingSetup.of(repository.wal(), compression, archiveTimeout);
    }

    /**
     * Installs the script and writes the settings with ALTER SYSTEM, reloads, and restarts the
     * server only when asked to (serverLog: where pg_ctl sends the restarted server's output).
     */
    public ApplyResult apply(ArchivingSetup setup, boolean restart, Optional<Path> serverLog) {
        repository.requireWritable();
        repository.wal().archiveCommand().install(setup.compression().label()).ifPresent(this::giveToServerUser);
        List<String> changed = new ArrayList<>();
        String replacedLibrary;
        try (Connection c = PgConnections.open(connection); Statement st = c.createStatement()) {
            ServerSettings before = ServerSettings.read(c, connection, withLibrary(setup));
            // Cleared first, so no reload ever sees both set (16 and later then archive nothing).
            replacedLibrary = before.value(ArchivingSetup.LIBRARY);
            if (!replacedLibrary.isEmpty()) {
                st.execute("ALTER SYSTEM SET " + ArchivingSetup.LIBRARY + " = ''");
                LOG.info("ALTER SYSTEM SET {} = '' (was '{}')", ArchivingSetup.LIBRARY, replacedLibrary);
                changed.add(ArchivingSetup.LIBRARY);
            }
            for (Map.Entry<String, String> e : setup.settings().entrySet()) {
                if (ArchivingSetup.satisfied(e.getKey(), e.getValue(), before.value(e.getKey()))) {
                    continue;
                }
                st.execute("ALTER SYSTEM SET " + e.getKey() + " = '" + e.getValue().replace("'", "''") + "'");
                LOG.info("ALTER SYSTEM SET {} = '{}'", e.getKey(), e.getValue());
                changed.add(e.getKey());
            }
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new PitrException("the server refused ALTER SYSTEM for " + connection.user() + ": " + e.getMessage(),
                        "connect as a superuser (-U postgres), or GRANT ALTER SYSTEM ON PARAMETER wal_level, archive_mode,"
                                + " archive_command, archive_timeout, archive_library TO " + connection.user(), e);
            }
            throw PgConnections.queryFailed(connection, e);
        }
        List<String> pending = awaitReload(setup);
        if (!restart || pending.isEmpty()) {
            return new ApplyResult(changed, pending, false, replacedLibrary);
        }
        restartServer(serverLog);
        return new ApplyResult(changed, pendingRestart(setup), true, replacedLibrary);
    }

    /** The server's current value of each setting of the setup, against the recommended one. */
    public List<SettingComparison> compare(ArchivingSetup setup) {
        try (Connection c = PgConnections.open(connection)) {
            ServerSettings now = ServerSettings.read(c, connection, withLibrary(setup));
            List<SettingComparison> out = new ArrayList<>();
            for (Map.Entry<String, String> e : setup.settings().entrySet()) {
                String current = now.value(e.getKey());
                out.add(new SettingComparison(e.getKey(), current, e.getValue(),
                        ArchivingSetup.satisfied(e.getKey(), e.getValue(), current),
                        ArchivingSetup.NEED_RESTART.contains(e.getKey()), now.pendingRestart(e.getKey())));
            }
            if (now.has(ArchivingSetup.LIBRARY)) {
                String library = now.value(ArchivingSetup.LIBRARY);
                out.add(new SettingComparison(ArchivingSetup.LIBRARY, library, "", library.isEmpty(), false,
                        now.pendingRestart(ArchivingSetup.LIBRARY)));
            }
            return out;
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
    }

    /**
     * Segments archived per hour over the last {@code hours} hours, from the archive's file times
     * (the server keeps no such history; pg_stat_archiver has only totals and the last event).
     */
    public List<HourlyCount> activity(int hours) {
        long segmentSize;
        try (Connection c = PgConnections.open(connection)) {
            segmentSize = ServerInfo.read(c, connection).walSegmentSize();
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
        return WalArchiveFiles.scan(repository.wal(), segmentSize).perHour(clock.instant(), hours);
    }

    /** pg_stat_archiver plus size, rate and newest segment of the archive. */
    public ArchiverStats stats() {
        ArchiverCounters k;
        long segmentSize;
        try (Connection c = PgConnections.open(connection)) {
            k = ArchiverCounters.read(c, connection);
            segmentSize = ServerInfo.read(c, connection).walSegmentSize();
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
        WalArchiveFiles files = WalArchiveFiles.scan(repository.wal(), segmentSize);
        Instant now = clock.instant();
        Optional<ArchivedWalFile> newest = files.newestSegment();
        return new ArchiverStats(k.archivedCount(), k.lastArchivedWal(), k.lastArchivedTime(), k.failedCount(),
                k.lastFailedWal(), k.lastFailedTime(), k.statsReset(), files.totalBytes(), files.segments().size(),
                files.segmentsSince(now, Duration.ofHours(1)), files.segmentsSince(now, Duration.ofHours(24)) / 24.0,
                newest.map(ArchivedWalFile::name).orElse(null),
                newest.map(f -> Duration.between(f.modified(), now).toMillis() / 1000.0).orElse(null));
    }

    /** Checks settings, archive permissions and a real segment switch; see {@link ArchivingVerifier}. */
    public List<Finding> verify(Duration wait) {
        return verify(wait, true);
    }

    /** The same checks; without {@code forceSwitch} no segment is switched out and none is waited for. */
    public List<Finding> verify(Duration wait, boolean forceSwitch) {
        return new ArchivingVerifier(repository.wal(), pg, connection).verify(wait, forceSwitch);
    }

    // The backend applies a reload when it next reads a command, after the postmaster signalled
    // it; poll until every setting shows either the new value or pending_restart.
    private List<String> awaitReload(ArchivingSetup setup) {
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (true) {
            List<String> pending = new ArrayList<>();
            boolean settled = true;
            try (Connection c = PgConnections.open(connection)) {
                ServerSettings now = ServerSettings.read(c, connection, withLibrary(setup));
                for (Map.Entry<String, String> e : setup.settings().entrySet()) {
                    if (now.pendingRestart(e.getKey())) {
                        pending.add(e.getKey());
                    } else if (!ArchivingSetup.satisfied(e.getKey(), e.getValue(), now.value(e.getKey()))) {
                        settled = false;
                    }
                }
                if (!now.value(ArchivingSetup.LIBRARY).isEmpty()) {
                    settled = false;
                }
            } catch (SQLException e) {
                throw PgConnections.queryFailed(connection, e);
            }
            if (settled || System.nanoTime() > deadline) {
                return pending;
            }
            pause();
        }
    }

    private static List<String> withLibrary(ArchivingSetup setup) {
        List<String> names = new ArrayList<>(setup.settings().keySet());
        names.add(ArchivingSetup.LIBRARY);
        return names;
    }

    private List<String> pendingRestart(ArchivingSetup setup) {
        try (Connection c = PgConnections.open(connection)) {
            ServerSettings now = ServerSettings.read(c, connection, setup.settings().keySet());
            return setup.settings().keySet().stream().filter(now::pendingRestart).toList();
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
    }

    private void restartServer(Optional<Path> serverLog) {
        ServerInfo info = ServerInfo.read(connection);
        if (info.dataDirectory().isBlank()) {
            throw new PitrException("the server did not say where its data directory is",
                    "connect as a superuser, or restart the server yourself (pg_ctl restart / systemctl restart postgresql)");
        }
        Path dataDir = Path.of(info.dataDirectory());
        if (!Files.isDirectory(dataDir)) {
            throw new PitrException("the server's data directory " + dataDir + " is not on this machine",
                    Hint.of("restart the server on its own host (pg_ctl restart or systemctl restart postgresql), then run 'archiving verify'",
                            "restart the server on its own host (pg_ctl restart or systemctl restart postgresql), then click Verify"
                                    + " on the WAL Archiving page"));
        }
        Path log = serverLog.orElse(dataDir.resolve(Files.isDirectory(dataDir.resolve("log")) ? "log/pitr-console-restart.log"
                : "pitr-console-restart.log"));
        LOG.info("restarting the server on {} (pg_ctl restart -m fast, output to {})", dataDir, log);
        new ClusterControl(pg.installationFor(info.version()), pg.runner()).restart(dataDir, log, 120);
    }

    private void giveToServerUser(Path dir) {
        try {
            new ServerUserFiles(pg.serverUser()).giveOne(dir);
        } catch (PitrException e) {
            // the archive may live where owners cannot change; 'archiving verify' then says what the server cannot write
            LOG.warn("{}", e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while waiting for the server to reload", "run the command again");
        }
    }
}
