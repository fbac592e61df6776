package io.pitrconsole.repository;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ServerShell;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** WAL files held in memory: no local files, so readers stream every byte through {@link #open}. */
public final class MemoryWalStore implements WalStore {
    private record Stored(byte[] bytes, Instant modified) {
    }

    private final Map<String, Stored> files = new TreeMap<>();
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");
    private int opened;

    @Override
    public synchronized List<WalFile> list() {
        return files.entrySet().stream().map(e -> new WalFile(e.getKey(), e.getValue().bytes().length, e.getValue().modified())).toList();
    }

    @Override
    public synchronized InputStream open(String name) throws IOException {
        Stored s = files.get(name);
        if (s == null) {
            throw new NoSuchFileException(name);
        }
        opened++;
        return new ByteArrayInputStream(s.bytes());
    }

    @Override
    public void put(String name, InputStream content) throws IOException {
        put(name, content.readAllBytes());
    }

    /** Stores bytes as the archive_command would: never over a different file of the same name. */
    public synchronized void put(String name, byte[] bytes) {
        Stored old = files.get(name);
        if (old != null) {
            if (!Arrays.equals(old.bytes(), bytes)) {
                throw new PitrException("refusing to overwrite " + name + ": it differs from the file being archived", "keep the first copy");
            }
            return;
        }
        clock = clock.plusSeconds(1);
        files.put(name, new Stored(bytes.clone(), clock));
    }

    /** Stores bytes with a given arrival time. */
    public synchronized void put(String name, byte[] bytes, Instant modified) {
        put(name, bytes);
        files.put(name, new Stored(files.get(name).bytes(), modified));
    }

    @Override
    public synchronized boolean delete(String name) {
        return files.remove(name) != null;
    }

    @Override
    public String describe() {
        return "memory:wal";
    }

    @Override
    public String restoreCommand(Optional<Path> staged) {
        throw unreachable();
    }

    @Override
    public ArchiveCommand archiveCommand() {
        throw unreachable();
    }

    @Override
    public void checkServerCanRead(ServerShell shell, List<String> names) {
        throw unreachable();
    }

    @Override
    public void checkServerCanWrite(ServerShell shell) {
        throw unreachable();
    }

    private static PitrException unreachable() {
        return new PitrException("a server cannot reach WAL held in this process's memory", "restore from an archive directory");
    }

    /** How many times a file was opened for reading. */
    public synchronized int opened() {
        return opened;
    }
}
