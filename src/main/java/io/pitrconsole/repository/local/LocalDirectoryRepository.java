package io.pitrconsole.repository.local;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A repository in a local (or mounted) directory, in the original scripts' layout: one
 * backup_YYYYMMDD_HHMMSS directory per base backup, wal_archive/, backup_metadata.json,
 * backup_schedule.json and .pitr/ for caches, locks and reports.
 */
public final class LocalDirectoryRepository implements Repository {
    private final RepositoryLocation location;
    private final ArchiveLayout layout;
    private final LocalWalStore wal;
    private final LocalBackupStore backups;

    public LocalDirectoryRepository(RepositoryLocation location) {
        this.location = location;
        this.layout = new ArchiveLayout(location.directory());
        this.wal = new LocalWalStore(layout);
        this.backups = new LocalBackupStore(layout);
    }

    /** The local directory repository at a directory, as the practice cluster and tests name their archive. */
    public static LocalDirectoryRepository at(Path directory) {
        return new LocalDirectoryRepository(RepositoryLocation.of(directory));
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
        return layout.stateDir();
    }

    @Override
    public void requireReadable() {
        layout.requireReadable();
    }

    @Override
    public void requireWritable() {
        layout.requireWritable();
    }

    @Override
    public RepositoryLock lock(LockUse use, String operation) {
        return ArchiveLock.acquire(layout, use, operation);
    }

    @Override
    public List<LockHolder> holders() {
        return ArchiveLock.holders(layout);
    }

    @Override
    public List<LeftoverFile> leftovers(Instant now) {
        return new LeftoverFiles(layout).find(now).stream()
                .map(l -> new LeftoverFile(layout.root().relativize(l.path()).toString(), l.bytes(), l.modified())).toList();
    }

    @Override
    public void removeLeftover(String name) throws IOException {
        Path file = layout.root().resolve(name).normalize();
        if (!file.startsWith(layout.root()) || !LeftoverFiles.isTemporaryName(file.getFileName().toString())) {
            throw new IllegalArgumentException("not a temporary file of " + layout.root() + ": " + name);
        }
        Files.deleteIfExists(file);
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
        Files.createDirectories(file(document).getParent());
        AtomicFiles.write(file(document), content);
    }

    @Override
    public byte[] update(RepositoryDocument document, Function<Optional<byte[]>, byte[]> change) throws IOException {
        Path file = file(document);
        Path lockFile = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".lock");
        // the monitor orders holders within this process, whose fcntl locks the kernel cannot tell apart
        synchronized (LocalDirectoryRepository.class) {
            Files.createDirectories(file.getParent());
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
        return switch (document) {
            case SCHEDULE -> layout.scheduleFile();
            case BACKUP_LIST -> layout.legacyMetadata();
            case ABANDONED_TIMELINES -> layout.abandonedTimelinesFile();
            case ENCRYPTION -> layout.stateDir().resolve("encryption.json");
        };
    }
}
