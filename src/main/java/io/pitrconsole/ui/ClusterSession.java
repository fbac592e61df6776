package io.pitrconsole.ui;

import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.schedule.CleanupService;
import io.pitrconsole.schedule.HealthService;
import io.pitrconsole.schedule.ScheduleService;
import io.pitrconsole.schedule.ScheduleStore;
import io.pitrconsole.session.ClusterServices;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster the console is looking at: one profile resolved by {@link ProfileResolver}, as the CLI
 * resolves it without flags (profile values, then the libpq environment), and the services over
 * it, wired by {@link ClusterServices} as the command line's are. Services are cheap to build, so
 * each call returns a fresh one; none holds a database connection open. They share one opened
 * repository, released by {@link #close()} when the console leaves the profile.
 */
public final class ClusterSession implements AutoCloseable {
    private final Profile profile;
    private final ClusterServices services;

    public ClusterSession(Profile profile, Map<String, String> env) {
        this.profile = profile;
        this.services = ClusterServices.forConsole(profile, env);
    }

    public Profile profile() {
        return profile;
    }

    public String name() {
        return profile.name();
    }

    /** The services for this profile, the same the command line builds. */
    public ClusterServices services() {
        return services;
    }

    /** The repository of this profile; a PitrException with a hint when the profile has none. */
    public Repository repository() {
        return services.repository();
    }

    /** Releases the profile's repository (a bucket's S3 client); the console calls it when another profile becomes active. */
    @Override
    public void close() {
        services.close();
    }

    public boolean hasArchive() {
        return profile.archive() != null && !profile.archive().isBlank();
    }

    /** The profile's connection fields, then the libpq environment, then libpq's defaults. */
    public ConnectionSettings connection() {
        return services.connection();
    }

    /** The profile's PostgreSQL bin directory (or the usual search) and OS user (default postgres). */
    public PgContext pg() {
        return services.pg();
    }

    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(profile.dataDirectory()).filter(s -> !s.isBlank()).map(Path::of);
    }

    public BackupService backups() {
        return services.backups();
    }

    public WindowService windows() {
        return services.windows();
    }

    public RestoreService restores() {
        return services.restores();
    }

    public ArchivingService archiving() {
        return services.archiving();
    }

    /** Health with the server's archiver, as 'health' without --no-server. */
    public HealthService health() {
        return services.health(true);
    }

    public CleanupService cleanup() {
        return services.cleanup();
    }

    public ScheduleStore schedule() {
        return services.scheduleSettings();
    }

    /** Installing and removing the archive's jobs where the environment says (PITR_CRONTAB_FILE, ...). */
    public ScheduleService jobs() {
        return services.schedule(ScheduleService.Targets.DEFAULT);
    }
}
