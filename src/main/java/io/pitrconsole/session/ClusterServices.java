package io.pitrconsole.session;

import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.check.CheckService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.config.UserDirs;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionCheck;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.PgBackRestOptions;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.encryption.AgeProgram;
import io.pitrconsole.repository.encryption.EncryptedRepository;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.repository.encryption.EncryptionKeyNeeded;
import io.pitrconsole.repository.encryption.KeyChange;
import io.pitrconsole.repository.encryption.Keyring;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.repository.pgbackrest.PgBackRestRepository;
import io.pitrconsole.repository.s3.S3Repository;
import io.pitrconsole.schedule.CleanupService;
import io.pitrconsole.schedule.DependencyCheck;
import io.pitrconsole.schedule.HealthService;
import io.pitrconsole.schedule.JobConnection;
import io.pitrconsole.schedule.ScheduleService;
import io.pitrconsole.schedule.ScheduleStore;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services for one cluster profile: its archive, its server and its PostgreSQL programs,
 * wired the one way the command line and the console share. How each face fills in those three
 * (flags and the PG* environment first on the command line, the profile first in the console) is
 * {@link ProfileResolver}'s business; what is built from them is this class's. Services are cheap:
 * each call returns a new one, none holds a database connection open, and each part is resolved
 * only when a service needs it. The repository is opened once and shared by every service built
 * here (a bucket's S3 client is worth keeping); {@link #close()} releases it, when the command
 * line's verb ends or the console leaves the profile.
 */
public final class ClusterServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterServices.class);
    private final Supplier<Optional<String>> profile;
    private final ArchiveLocation archive;
    private final Supplier<ConnectionSettings> connection;
    private final Supplier<PgContext> pg;
    private final Map<String, String> env;
    private final Clock clock;
    private Repository opened;

    /**
     * @param profile    the profile's name, when there is one (scheduled jobs name it)
     * @param archive    where the backups and WAL live (the one place the archive is named)
     * @param connection how to reach the server; asked for only by services that connect
     * @param pg         where the PostgreSQL programs are and which OS user runs the server
     * @param env        the environment (PITR_CRONTAB_FILE, PITR_SYSTEMD_DIR, PATH for the schedulers)
     */
    public ClusterServices(Supplier<Optional<String>> profile, ArchiveLocation archive, Supplier<ConnectionSettings> connection,
                           Supplier<PgContext> pg, Map<String, String> env) {
        this.profile = profile;
        this.archive = archive;
        this.connection = connection;
        this.pg = pg;
        this.env = Map.copyOf(env);
        // health and check read only instants from it; the zone plays no part
        this.clock = Clock.systemUTC();
    }

    /** The console's services for a profile: the profile first, the libpq environment for what it leaves empty. */
    public static ClusterServices forConsole(Profile profile, Map<String, String> env) {
        ProfileResolver resolver = ProfileResolver.forConsole(profile, env);
        return new ClusterServices(() -> Optional.of(profile.name()), () -> archiveOf(profile, env),
                () -> resolver.connection(ProfileResolver.Overrides.NONE), () -> resolver.pg(ProfileResolver.Overrides.NONE), env);
    }

    private static Repository archiveOf(Profile profile, Map<String, String> env) {
        if (profile.archive() == null || profile.archive().isBlank()) {
            throw new PitrException("profile '" + profile.name() + "' has no archive directory",
                    "set one under Settings > Profiles");
        }
        return openRepository(profile.archive(), s3Options(profile), PgBackRestOptions.NONE,
                KeyFiles.of(profile, env), env);
    }

    /** The S3 service a profile names for an s3:// archive. */
    public static S3Options s3Options(Profile profile) {
        return new S3Options(profile.s3Endpoint(), profile.s3Region(), Boolean.TRUE.equals(profile.s3PathStyle()));
    }

    /**
     * The repository a user named (--archive, a profile's archive): parsed once by
     * {@link RepositoryLocation#parse}, then opened as the kind it names: a local directory, an
     * S3 bucket reached with the options and the credentials of the environment, or a pgBackRest stanza.
     */
    public static Repository openRepository(String text, S3Options s3, Map<String, String> env) {
        return openRepository(text, s3, PgBackRestOptions.NONE, env);
    }

    /** As {@link #openRepository(String, S3Options, Map)}; a pgbackrest:// stanza is read with the pgBackRest options given. */
    public static Repository openRepository(String text, S3Options s3, PgBackRestOptions pgbackrest, Map<String, String> env) {
        return openRepository(text, s3, pgbackrest, KeyFiles.NONE, env);
    }

    /**
     * As {@link #openRepository(String, S3Options, PgBackRestOptions, Map)}, with the key files given:
     * an encrypted repository is opened only with its key, and a key only opens an encrypted
     * repository or an empty one, which it encrypts from the first file written
     * ({@link EncryptedRepository#open}).
     */
    public static Repository openRepository(String text, S3Options s3, PgBackRestOptions pgbackrest, KeyFiles keys, Map<String, String> env) {
        RepositoryLocation location = RepositoryLocation.parse(text, s3, pgbackrest);
        Repository inner;
        if (location.isPgBackRest()) {
            inner = new PgBackRestRepository(location, env, UserDirs.cache(env));
        } else if (location.isBucket()) {
            inner = new S3Repository(location, env, UserDirs.cache(env));
        } else {
            inner = new LocalDirectoryRepository(location);
        }
        try {
            if (keys.current().isEmpty()) {
                return EncryptedRepository.open(inner, Optional.empty(), null, null, Clock.systemUTC());
            }
            AgeProgram age = AgeProgram.find(env);
            List<EncryptionKey> held = new ArrayList<>();
            held.add(EncryptionKey.load(age, keys.current().get()));
            keys.older().forEach(k -> held.add(EncryptionKey.load(age, k)));
            // a new backup waits here, plain, until it is encrypted: on this machine, for this user only
            Path staging = UserDirs.cache(env).resolve("encrypting");
            return EncryptedRepository.open(inner, Optional.of(new Keyring(held)), age, staging, Clock.systemUTC());
        } catch (RuntimeException e) {
            closeQuietly(inner);
            throw e;
        }
    }

    /**
     * Opens the repository a user named with the key file given (blank: PITR_ENCRYPTION_KEY_FILE, if
     * set), tries to list it, and closes it again: what it holds and how it is encrypted, or a
     * PitrException that says what is wrong (no such directory; for a bucket: endpoint unreachable,
     * credentials refused, no such bucket, access denied; for an encrypted repository: no key, or
     * another key than the one it needs) with a hint. Settings' "Test archive".
     */
    public static RepositoryReach tryRepository(String text, S3Options s3, String keyFile, Map<String, String> env) {
        return tryRepository(text, s3, keyFile, List.of(), env);
    }

    /** As {@link #tryRepository(String, S3Options, String, Map)}, with older key files (paths) that read files written before a key change. */
    public static RepositoryReach tryRepository(String text, S3Options s3, String keyFile, List<String> oldKeyFiles, Map<String, String> env) {
        if (text == null || text.isBlank()) {
            throw new PitrException("no archive given", "name a directory, or s3://bucket/prefix for a bucket");
        }
        KeyFiles keys = KeyFiles.resolve(null, keyFile, env, KeyFiles.paths(oldKeyFiles));
        Repository repository = openRepository(text.strip(), s3, PgBackRestOptions.NONE, keys, env);
        try {
            repository.requireReadable();
            String where = repository.location().isBucket() ? repository.location().bucket().describe() : repository.location().toString();
            return new RepositoryReach(where, repository.backups().ids().size(), repository.wal().list().size(), encryptionOf(repository));
        } catch (IOException e) {
            throw new PitrException("cannot list " + repository.location() + ": " + e.getMessage(),
                    "check that this user may read it");
        } finally {
            closeQuietly(repository);
        }
    }

    /**
     * How this profile's repository is encrypted, opening it if it is not open yet. An encrypted
     * repository this profile has no key for (or another key) is a state that names the key it
     * needs, not a failure; any other reason it cannot be opened is a PitrException.
     */
    public EncryptionState encryption() {
        Repository r;
        try {
            r = repository();
        } catch (EncryptionKeyNeeded e) {
            return EncryptionState.keyNeeded(e);
        }
        return encryptionOf(r);
    }

    /**
     * Of the key files this profile's repository was opened with, those no file in it is encrypted
     * to (a key the repository does not record); empty when it is not encrypted or holds nothing yet.
     */
    public List<Path> unneededKeyFiles() {
        if (repository() instanceof EncryptedRepository e && EncryptedRepository.recorded(e).isPresent()) {
            var recorded = e.encryption().keys().stream().map(k -> k.keyFingerprint()).collect(java.util.stream.Collectors.toSet());
            return e.keys().keys().stream().filter(k -> !recorded.contains(k.fingerprint())).map(EncryptionKey::file).toList();
        }
        return List.of();
    }

    private static EncryptionState encryptionOf(Repository r) {
        if (r instanceof EncryptedRepository e) {
            // an empty repository opened with a key is encrypted from its first write on
            boolean recorded = EncryptedRepository.recorded(e).isPresent();
            return EncryptionState.age(e.encryption().current().fingerprint(), e.keys().current().file(), recorded);
        }
        if (r instanceof PgBackRestRepository p) {
            return EncryptionState.pgBackRest(p.info().cipher());
        }
        return EncryptionState.PLAIN;
    }

    /**
     * The repository of this profile, opened at the first call and the same one after that; a
     * PitrException with a hint when it has none (asked again at the next call).
     */
    public synchronized Repository repository() {
        if (opened == null) {
            opened = archive.open();
        }
        return opened;
    }

    /**
     * Releases the repository (a bucket's S3 client). A service asked for later, by work that
     * outlived a profile switch, opens it again.
     */
    @Override
    public synchronized void close() {
        Repository r = opened;
        opened = null;
        if (r != null) {
            closeQuietly(r);
        }
    }

    private static void closeQuietly(Repository r) {
        if (r instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing was written through it that a failed close could lose
                LOG.debug("closing {}: {}", r.location(), e.toString());
            }
        }
    }

    /** Where the server is, as the face resolved it. */
    public ConnectionSettings connection() {
        return connection.get();
    }

    /** Where the PostgreSQL programs are and which OS user runs the server-side ones. */
    public PgContext pg() {
        return pg.get();
    }

    /** Connects to the profile's server and reads what it is (the status bar's and 'check''s connection check). */
    public ConnectionCheck checkConnection() {
        return ConnectionCheck.run(connection());
    }

    /** Backups: create, list, verify, delete. */
    public BackupService backups() {
        return new BackupService(repository(), pg());
    }

    /** Recovery windows and WAL status over the archive. */
    public WindowService windows() {
        return new WindowService(repository());
    }

    /** Restore: check, plan, run, roll back, history. */
    public RestoreService restores() {
        return new RestoreService(repository(), pg());
    }

    /** WAL archiving of the profile's server: generate, apply, verify, stats. */
    public ArchivingService archiving() {
        return new ArchivingService(repository(), pg(), connection());
    }

    /** WAL archiving without a server: only {@link ArchivingService#generate} works on it. */
    public ArchivingService archivingOffline() {
        return new ArchivingService(repository(), pg(), null);
    }

    /** Health of the archive and, with server, of the server's archiver. */
    public HealthService health(boolean server) {
        return new HealthService(repository(), server ? Optional.of(connection()) : Optional.empty(), clock);
    }

    /** Retention planning and cleanup, days counted in this machine's zone. */
    public CleanupService cleanup() {
        return new CleanupService(repository(), ZoneId.systemDefault());
    }

    /** The archive's schedule settings (backup_schedule.json). */
    public ScheduleStore scheduleSettings() {
        return new ScheduleStore(repository());
    }

    /** Installing and removing the archive's jobs; the backup job is pinned to this profile and its server. */
    public ScheduleService schedule(ScheduleService.Targets targets) {
        return new ScheduleService(repository(), env, targets, () -> JobConnection.of(profile.get(), connection(), pg()));
    }

    /** What scheduled jobs need (programs, server, archive, space); with server, the server too. */
    public DependencyCheck dependencies(boolean server) {
        return new DependencyCheck(repository(), pg(), server ? Optional.of(connection()) : Optional.empty());
    }

    /** Changing the repository's key ('key add', 'key rotate'); the repository opened with its keys and the new one. */
    public KeyChange keyChange() {
        return new KeyChange(repository(), clock);
    }

    /** Writes a new key file (readable by its owner only) with age-keygen; refuses a file that exists. */
    public static EncryptionKey createKey(Path file, Map<String, String> env) {
        return AgeProgram.find(env).generate(file);
    }

    /** A key file's fingerprint and recipient; the secret stays in the file. */
    public static EncryptionKey readKey(Path file, Map<String, String> env) {
        return EncryptionKey.load(AgeProgram.find(env), file);
    }

    /** Everything in one report ('check'). */
    public CheckService check() {
        return new CheckService(repository(), pg(), connection, clock);
    }
}
