package io.pitrconsole.repository;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Backups held in memory: a record document and named files per backup, nothing on disk. */
public final class MemoryBackupStore implements BackupStore {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Map<String, Backup> backups = new ConcurrentHashMap<>();

    private static final class Backup {
        volatile byte[] record;
        final Map<String, byte[]> files = new TreeMap<>();
    }

    /** Puts a file into a backup, as a finished pg_basebackup would have left it. */
    public synchronized void putFile(String id, String file, byte[] content) {
        backups.computeIfAbsent(id, k -> new Backup()).files.put(file, content.clone());
    }

    @Override
    public List<String> ids() {
        return new ArrayList<>(backups.keySet());
    }

    @Override
    public boolean exists(String id) {
        return backups.containsKey(id);
    }

    @Override
    public Optional<byte[]> readRecord(String id) throws IOException {
        Backup b = backup(id);
        return Optional.ofNullable(b.record).map(byte[]::clone);
    }

    @Override
    public void writeRecord(String id, byte[] document) throws IOException {
        backup(id).record = document.clone();
    }

    @Override
    public void delete(String id) throws IOException {
        if (backups.remove(id) == null) {
            throw new NoSuchFileException(id);
        }
    }

    @Override
    public synchronized long size(String id) throws IOException {
        Backup b = backup(id);
        return (b.record == null ? 0 : b.record.length) + b.files.values().stream().mapToLong(f -> f.length).sum();
    }

    @Override
    public synchronized long size(String id, String file) throws IOException {
        byte[] content = backup(id).files.get(file);
        if (content == null) {
            throw new NoSuchFileException(id + "/" + file);
        }
        return content.length;
    }

    @Override
    public synchronized List<String> files(String id) throws IOException {
        return List.copyOf(backup(id).files.keySet());
    }

    @Override
    public synchronized InputStream open(String id, String file) throws IOException {
        byte[] content = backup(id).files.get(file);
        if (content == null) {
            throw new NoSuchFileException(id + "/" + file);
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public Optional<Path> localFile(String id, String file) {
        return Optional.empty();
    }

    @Override
    public String where(String id) {
        return "memory:" + id;
    }

    @Override
    public String newId(LocalDateTime now) {
        LocalDateTime t = now.withNano(0);
        for (int i = 0; ; i++) {
            String id = "backup_" + ID_TIME.format(t.plusSeconds(i));
            if (!backups.containsKey(id)) {
                return id;
            }
        }
    }

    @Override
    public NewBackup create(String id) {
        throw new UnsupportedOperationException("pg_basebackup needs a local directory; this store holds backups given with putFile");
    }

    @Override
    public boolean hasIncoming(String id) {
        return false;
    }

    @Override
    public synchronized void discardFiles(String id) throws IOException {
        backup(id).files.clear();
    }

    @Override
    public OptionalLong usableSpace() {
        return OptionalLong.empty();
    }

    private Backup backup(String id) throws NoSuchFileException {
        Backup b = backups.get(id);
        if (b == null) {
            throw new NoSuchFileException(id);
        }
        return b;
    }

    /** Adds an empty backup (no record, no files), as a directory a user made by hand would be. */
    public void add(String id) {
        backups.computeIfAbsent(id, k -> new Backup());
    }
}
