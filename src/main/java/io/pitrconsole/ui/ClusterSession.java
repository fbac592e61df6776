package io.pitrconsole.ui;

import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.WindowService;
import io.pitrconsole.schedule.CleanupService;
import io.pitrconsole.schedule.HealthService;
import io.pitrconsole.schedule.ScheduleStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster the console is looking at: one profile resolved by {@link ProfileResolver}, as the CLI
 * resolves it without flags (profile values, then the libpq environment), and the services over
 * it. Services are cheap to build, so each call returns a fresh one; none holds a connection open.
 */
public final class ClusterSession {
    private final Profile profile;
    private final Map<String, String> env;

    public ClusterSession(Profile profile, Map<String, String> env) {
        this.profile = profile;
        this.env = Map.copyOf(env);
    }

    public Profile profile() {
        return profile;
    }

    public String name() {
        return profile.name();
    }

    /** The repository of this profile; a PitrException with a hint when the profile has none. */
    public Repository repository() {
        if (profile.archive() == null || profile.archive().isBlank()) {
            throw new PitrException("profile '" + profile.name() + "' has no archive directory",
                    "set one under Settings > Profiles");
        }
        return LocalDirectoryRepository.open(profile.archive());
    }

    /**
     * The directory layout, for the WAL archive code not yet moved behind the repository.
     * @deprecated to be removed once the WAL side takes a {@link Repository}
     */
    @Deprecated
    public ArchiveLayout layout() {
        return LocalDirectoryRepository.layoutOf(repository()).orElseThrow();
    }

    public boolean hasArchive() {
        return profile.archive() != null && !profile.archive().isBlank();
    }

    /** The profile's connection fields, then the libpq environment, then libpq's defaults. */
    public ConnectionSettings connection() {
        return resolver().connection(ProfileResolver.Overrides.NONE);
    }

    /** The profile's PostgreSQL bin directory (or the usual search) and OS user (default postgres). */
    public PgContext pg() {
        return resolver().pg(ProfileResolver.Overrides.NONE);
    }

    private ProfileResolver resolver() {
        return ProfileResolver.forConsole(profile, env);
    }

    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(profile.dataDirectory()).filter(s -> !s.isBlank()).map(Path::of);
    }

    public Map<String, String> env() {
        return env;
    }

    public BackupService backups() {
        return new BackupService(repository(), pg());
    }

    public WindowService windows() {
        return new WindowService(layout());
    }

    public RestoreService restores() {
        return new RestoreService(repository(), pg());
    }

    public ArchivingService archiving() {
        return new ArchivingService(layout(), pg(), connection());
    }

    public HealthService health() {
        return new HealthService(repository(), Optional.of(connection()), Clock.systemDefaultZone());
    }

    public CleanupService cleanup() {
        return new CleanupService(repository(), ZoneId.systemDefault());
    }

    public ScheduleStore schedule() {
        return new ScheduleStore(repository());
    }
}
