package io.pitrconsole.ui;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.PgBackRestOptions;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.encryption.AgeProgram;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.repository.encryption.KeyChange;
import io.pitrconsole.session.ClusterServices;
import io.pitrconsole.session.KeyFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Archives for the console's encryption tests, written as the console writes them: through
 * {@link ClusterServices#openRepository} with or without a key, by the real age program. Each holds
 * one backup (a record and one encrypted file) and two WAL segments.
 */
public final class EncryptedArchives {
    public static final String BACKUP = "backup_20261201_020000";
    /** The backup {@link #rekeyed} takes under the new key. */
    public static final String BACKUP_UNDER_NEW_KEY = "backup_20261202_020000";
    private final Path dir;
    private final Map<String, String> env;
    private final EncryptionKey key;
    private final EncryptionKey other;
    private final EncryptionKey added;

    /** Two keys (the archive's and another one) in {@code dir}; the environment has no PITR_ENCRYPTION_KEY_FILE. */
    public EncryptedArchives(Path dir) {
        this.dir = dir;
        Map<String, String> e = new HashMap<>();
        e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        e.put("HOME", dir.toString());
        e.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        e.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        this.env = Map.copyOf(e);
        AgeProgram age = AgeProgram.find(env);
        this.key = age.generate(dir.resolve("archive.key"));
        this.other = age.generate(dir.resolve("other.key"));
        this.added = age.generate(dir.resolve("added.key"));
    }

    /** The key {@link #rekeyed} adds with a key change: the archive's current key after it. */
    public EncryptionKey newKey() {
        return added;
    }

    /**
     * An archive as `key add` leaves it: a backup and two WAL segments under {@link #key()}, then
     * {@link #newKey()} added as the current key (the key change `key add` runs), and a second
     * backup and a third segment written under it. Reading it takes both keys.
     */
    public Path rekeyed(String name) throws IOException {
        Path archive = encrypted(name);
        Repository before = ClusterServices.openRepository(archive.toString(), S3Options.NONE, PgBackRestOptions.NONE,
                new KeyFiles(Optional.of(key.file()), List.of(added.file())), env);
        try {
            new KeyChange(before, java.time.Clock.systemUTC()).add(added.file());
        } finally {
            close(before);
        }
        Repository after = ClusterServices.openRepository(archive.toString(), S3Options.NONE, PgBackRestOptions.NONE,
                new KeyFiles(Optional.of(added.file()), List.of(key.file())), env);
        try {
            fill(after, List.of("000000010000000000000003"), BACKUP_UNDER_NEW_KEY, Instant.parse("2026-12-02T02:00:00Z"));
        } finally {
            close(after);
        }
        return archive;
    }

    public Map<String, String> env() {
        return env;
    }

    /** The key the encrypted archives are encrypted with. */
    public EncryptionKey key() {
        return key;
    }

    /** A key of no archive here. */
    public EncryptionKey otherKey() {
        return other;
    }

    /** An archive encrypted with {@link #key()}, holding one backup and two WAL segments. */
    public Path encrypted(String name) throws IOException {
        return filled(name, new KeyFiles(Optional.of(key.file()), List.of()));
    }

    /** The same, not encrypted. */
    public Path plain(String name) throws IOException {
        return filled(name, KeyFiles.NONE);
    }

    private Path filled(String name, KeyFiles keys) throws IOException {
        Path archive = Files.createDirectories(dir.resolve(name));
        Repository r = ClusterServices.openRepository(archive.toString(), S3Options.NONE, PgBackRestOptions.NONE, keys, env);
        try {
            fill(r, List.of("000000010000000000000001", "000000010000000000000002"), BACKUP, Instant.parse("2026-12-01T02:00:00Z"));
        } finally {
            close(r);
        }
        return archive;
    }

    private static void fill(Repository r, List<String> segments, String backup, Instant started) throws IOException {
        for (String segment : segments) {
            r.wal().put(segment, new ByteArrayInputStream(new byte[16 << 20]));
        }
        BackupStore.NewBackup b = r.backups().create(backup);
        // pg_basebackup makes its target directory itself
        Files.createDirectories(b.incoming());
        Files.write(b.incoming().resolve("base.tar"), new byte[64 << 10]);
        b.commit(new Cancellation());
        new BackupCatalog(r).save(new BackupRecord(1, backup, "nightly", BackupStatus.COMPLETE, started,
                started.plusSeconds(60), "backup-history-file", Lsn.parse("0/1000028"), Lsn.parse("0/1000100"),
                Lsn.parse("0/1000060"), 1, "15.4", "1", 16L * 1024 * 1024, Compression.NONE, 65536, 65536, "127.0.0.1", 5432,
                List.of(), List.of(), 60.0, null, null, null));
    }

    private static void close(Repository r) throws IOException {
        if (r instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    /** A TCP port nothing listens on, so a profile's connection check fails at once. */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
