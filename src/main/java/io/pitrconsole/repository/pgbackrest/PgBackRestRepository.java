package io.pitrconsole.repository.pgbackrest;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.core.ThisHost;
import io.pitrconsole.repository.BackupPlacement;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.BackupTool;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.PgBackRestStanza;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pgBackRest stanza as a repository (pgbackrest://STANZA): backups and WAL are pgBackRest's, read
 * only through pgBackRest's own commands (info, repo-ls, repo-get) and never written by the
 * console. The console's own small documents (schedule, abandoned timelines) and caches stay on
 * this machine, under the user's cache directory.
 */
public final class PgBackRestRepository implements Repository {
    // one verb reads the catalog many times; pgBackRest's info is asked again after this long
    private static final Duration INFO_FRESH = Duration.ofSeconds(2);

    private final RepositoryLocation location;
    private final PgBackRestCommands commands;
    private final Path cache;
    private final PgBackRestWalStore wal;
    private final PgBackRestBackupStore backups;
    private PgBackRestInfo info;
    private long infoRead;

    /**
     * Opens the stanza: pgbackrest is found and its version checked here, so an unusable
     * installation is said at once.
     *
     * @param cacheHome this program's cache directory on this machine; the stanza's cache is a folder of its own in it
     */
    public PgBackRestRepository(RepositoryLocation location, Map<String, String> env, Path cacheHome) {
        this.location = location;
        this.commands = PgBackRestCommands.open(location.stanza(), env);
        this.cache = cacheHome.resolve("pgbackrest").resolve(cacheName(location.stanza()));
        this.wal = new PgBackRestWalStore(commands, this::info);
        this.backups = new PgBackRestBackupStore(commands, this::info, cache.resolve("verifications.json"));
    }

    /** What pgBackRest says about the stanza now (asked at most every two seconds); fails with a hint when it cannot be read. */
    public synchronized PgBackRestInfo info() {
        if (info == null || System.nanoTime() - infoRead > INFO_FRESH.toNanos()) {
            PgBackRestInfo read = PgBackRestInfo.parse(location.stanza(), commands.text("info", "--output=json"));
            read.requireReadable(location.stanza());
            info = read;
            infoRead = System.nanoTime();
        }
        return info;
    }

    /** A set goes into a data directory by pgBackRest's own restore. */
    @Override
    public Optional<BackupPlacement> placement() {
        return Optional.of(new PgBackRestRestore(commands));
    }

    /** pgBackRest's backup and verify. */
    @Override
    public Optional<BackupTool> backupTool() {
        return Optional.of(new PgBackRestBackups(commands));
    }

    /** pgBackRest's status of the stanza, its backup lock and sets it took with page errors. */
    @Override
    public List<Finding> ownStatus() {
        PgBackRestInfo i;
        try {
            i = info();
        } catch (PitrException e) {
            return List.of(Finding.fail("pgBackRest stanza", e.getMessage(), e.hint()));
        }
        List<Finding> out = new ArrayList<>();
        out.add(i.statusCode() == PgBackRestInfo.OK
                ? Finding.pass("pgBackRest stanza", location.stanza().describe() + ": " + i.statusMessage() + " (pgBackRest " + commands.version() + ")")
                : Finding.warn("pgBackRest stanza", location.stanza().describe() + ": " + i.statusMessage(),
                        "take a first backup with 'pgbackrest --stanza=" + location.stanza().name() + " backup --type=full'"));
        out.add(Finding.pass("pgBackRest lock", i.backupLockHeld() ? "held: a pgBackRest backup or expire is running" : "free"));
        List<String> withErrors = i.backups().stream().filter(PgBackRestInfo.BackupSet::error).map(PgBackRestInfo.BackupSet::label).toList();
        out.add(withErrors.isEmpty() ? Finding.pass("pgBackRest backup errors", "none of " + i.backups().size() + " set(s)")
                : Finding.warn("pgBackRest backup errors", "pgBackRest found page checksum errors while taking " + String.join(", ", withErrors),
                        "'pgbackrest --stanza=" + location.stanza().name() + " info --set=" + withErrors.get(withErrors.size() - 1)
                                + "' names the files; take a new full backup once the pages are repaired"));
        return out;
    }

    /** pgBackRest's own commands for this stanza. */
    public PgBackRestCommands commands() {
        return commands;
    }

    @Override
    public RepositoryLocation location() {
        return location;
    }

    @Override
    public WalStore wal() {
        return wal;
    }

    @Override
    public BackupStore backups() {
        return backups;
    }

    @Override
    public Path localCache() {
        return cache;
    }

    @Override
    public void requireReadable() {
        info();
    }

    @Override
    public void requireWritable() {
        info();
    }

    /**
     * pgBackRest keeps its own locks around what it writes, and the console writes nothing into the
     * stanza; this lock only names this process as the one using it.
     */
    @Override
    public RepositoryLock lock(LockUse use, String operation) {
        LockHolder me = new LockHolder(use, ProcessHandle.current().pid(), ThisHost.name(), operation, Instant.now());
        return new RepositoryLock() {
            @Override
            public LockHolder holder() {
                return me;
            }

            @Override
            public List<LockHolder> staleLocksRemoved() {
                return List.of();
            }

            @Override
            public void close() {
                // nothing was taken
            }
        };
    }

    @Override
    public List<LockHolder> holders() {
        return List.of();
    }

    @Override
    public List<LeftoverFile> leftovers(Instant now) {
        return List.of();
    }

    @Override
    public void removeLeftover(String name) {
        throw new IllegalArgumentException("a pgBackRest stanza has no left-over files of this console: " + name);
    }

    @Override
    public Optional<byte[]> read(RepositoryDocument document) throws IOException {
        try {
            return Optional.of(RegularFiles.readAllBytes(file(document)));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void write(RepositoryDocument document, byte[] content) throws IOException {
        Files.createDirectories(cache);
        AtomicFiles.write(file(document), content);
    }

    @Override
    public byte[] update(RepositoryDocument document, Function<Optional<byte[]>, byte[]> change) throws IOException {
        Files.createDirectories(cache);
        Path lockFile = cache.resolve(file(document).getFileName() + ".lock");
        // the monitor orders holders within this process, whose fcntl locks the kernel cannot tell apart
        synchronized (PgBackRestRepository.class) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                byte[] next = change.apply(read(document));
                write(document, next);
                return next;
            }
        }
    }

    @Override
    public String where(RepositoryDocument document) {
        return file(document).toString();
    }

    private Path file(RepositoryDocument document) {
        return cache.resolve(switch (document) {
            case SCHEDULE -> "backup_schedule.json";
            case BACKUP_LIST -> "backup_metadata.json";
            case ABANDONED_TIMELINES -> "abandoned-timelines.json";
            // pgBackRest encrypts a stanza itself (repo-cipher-type); the console never writes this one
            case ENCRYPTION -> "encryption.json";
        });
    }

    /** A folder name per stanza, configuration and repository: readable, and unique by a digest of all three. */
    private static String cacheName(PgBackRestStanza stanza) {
        String identity = stanza.name() + "\n" + stanza.config().map(Path::toString).orElse("") + "\n" + stanza.repo();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return stanza.name() + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
