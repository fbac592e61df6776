package io.pitrconsole.repository.local;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.repository.BackupIds;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The backup_* directories of a local archive directory: backup.json and the backup's files side
 * by side. pg_basebackup writes into a hidden .incoming directory inside the backup's directory;
 * only when it has finished are the files moved up (renames within one directory), so a partial
 * backup never looks complete.
 */
final class LocalBackupStore implements BackupStore {
    static final String INCOMING = ".incoming";

    private final ArchiveLayout layout;

    LocalBackupStore(ArchiveLayout layout) {
        this.layout = layout;
    }

    @Override
    public List<String> ids() throws IOException {
        try (Stream<Path> dirs = Files.list(layout.root())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(BackupIds::isBackupId).toList();
        }
    }

    @Override
    public boolean exists(String id) {
        return Files.isDirectory(layout.backupDir(id));
    }

    @Override
    public Optional<byte[]> readRecord(String id) throws IOException {
        try {
            return Optional.of(RegularFiles.readAllBytes(layout.backupJson(id)));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void writeRecord(String id, byte[] document) throws IOException {
        AtomicFiles.write(layout.backupJson(id), document);
    }

    @Override
    public void delete(String id) throws IOException {
        FileTrees.deleteRecursively(layout.backupDir(id));
    }

    @Override
    public long size(String id) throws IOException {
        return FileTrees.size(layout.backupDir(id));
    }

    @Override
    public long size(String id, String file) throws IOException {
        return Files.size(file(id, file));
    }

    @Override
    public List<String> files(String id) throws IOException {
        try (Stream<Path> files = Files.list(layout.backupDir(id))) {
            // anything but a directory is listed: a fifo or device in its place must fail when read, named, not vanish
            return files.filter(f -> !Files.isDirectory(f)).map(f -> f.getFileName().toString())
                    .filter(n -> !n.equals(RECORD) && !n.startsWith(".")).sorted().toList();
        }
    }

    @Override
    public InputStream open(String id, String file) throws IOException {
        return RegularFiles.newInputStream(file(id, file));
    }

    @Override
    public void replace(String id, String file, InputStream content) throws IOException {
        Path target = file(id, file);
        if (!Files.isRegularFile(target)) {
            throw new NoSuchFileException(target.toString());
        }
        LocalReplace.replace(target, content);
    }

    @Override
    public Optional<Path> localFile(String id, String file) {
        return Optional.of(file(id, file));
    }

    @Override
    public String where(String id) {
        return layout.backupDir(id).toString();
    }

    @Override
    public String newId(LocalDateTime now) {
        return layout.newBackupId(now);
    }

    @Override
    public NewBackup create(String id) throws IOException {
        Path dir = layout.backupDir(id);
        Files.createDirectory(dir);
        return new NewBackup() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Path incoming() {
                return dir.resolve(INCOMING);
            }

            @Override
            public List<String> commit(io.pitrconsole.core.Cancellation cancellation) throws IOException {
                // renames within one directory: too quick to be worth stopping
                return moveUp(dir);
            }
        };
    }

    @Override
    public boolean hasIncoming(String id) {
        return Files.isDirectory(layout.backupDir(id).resolve(INCOMING));
    }

    @Override
    public void discardFiles(String id) throws IOException {
        try (Stream<Path> files = Files.list(layout.backupDir(id))) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(RECORD)) {
                    FileTrees.deleteRecursively(f);
                }
            }
        }
    }

    @Override
    public OptionalLong usableSpace() throws IOException {
        return OptionalLong.of(Files.getFileStore(layout.root()).getUsableSpace());
    }

    @Override
    public Optional<java.nio.file.FileStore> fileStore() throws IOException {
        return Optional.of(Files.getFileStore(layout.root()));
    }

    private Path file(String id, String file) {
        if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException("not a backup file name: " + file);
        }
        return layout.backupDir(id).resolve(file);
    }

    /** Moves what pg_basebackup wrote from .incoming up into the backup directory. */
    private static List<String> moveUp(Path dir) throws IOException {
        Path incoming = dir.resolve(INCOMING);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(incoming)) {
            for (Path f : files.sorted().toList()) {
                Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                names.add(f.getFileName().toString());
            }
        }
        Files.delete(incoming);
        return names;
    }
}
