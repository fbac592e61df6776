package io.pitrconsole.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed backup_manifest: the files with sizes and checksums, the WAL ranges the backup needs,
 * and whether the manifest's own SHA-256 checksum matches its bytes. Version 1 is written by
 * PostgreSQL 13 to 16; version 2, from 17, adds the database system identifier.
 *
 * @param systemIdentifier the cluster's system identifier (version 2 on), as an unsigned decimal
 */
public record BackupManifest(Map<String, FileEntry> files, List<WalRange> walRanges, boolean checksumValid,
                             String checksumProblem, int version, Optional<String> systemIdentifier) {
    private static final int NEWEST_VERSION = 2;

    /** One file of the backup as the server described it. */
    public record FileEntry(String path, long size, String checksumAlgorithm, String checksum) {
    }

    /** A stretch of WAL the backup needs to become consistent. */
    public record WalRange(int timeline, Lsn start, Lsn end) {
    }

    public long totalSize() {
        return files.values().stream().mapToLong(FileEntry::size).sum();
    }

    /** Reads and checks a manifest file; a file that is not a manifest is an error with a hint. */
    public static BackupManifest read(Path file) {
        byte[] bytes;
        try {
            bytes = RegularFiles.readAllBytes(file);
        } catch (IOException e) {
            throw new PitrException("cannot read " + file + ": " + e.getMessage(), "the backup is incomplete; take a new backup");
        }
        return parse(bytes, file.toString());
    }

    /** Reads and checks a manifest read from a backup; {@code file} says where it is, for messages. */
    public static BackupManifest read(BackupStore store, String backupId) {
        String file = store.where(backupId) + "/backup_manifest";
        byte[] bytes;
        try (java.io.InputStream in = store.open(backupId, "backup_manifest")) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new PitrException("cannot read " + file + ": " + e.getMessage(), "the backup is incomplete; take a new backup");
        }
        return parse(bytes, file);
    }

    private static BackupManifest parse(byte[] bytes, String file) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new PitrException(file + " is not a valid backup manifest: " + e.getMessage().lines().findFirst().orElse(""),
                    "the manifest is damaged; this backup cannot be verified - take a new one");
        }
        int version = root == null ? 0 : root.path("PostgreSQL-Backup-Manifest-Version").asInt(0);
        if (version > NEWEST_VERSION) {
            throw new PitrException(file + " is a version " + version + " backup manifest, which this version does not read"
                    + " (it reads versions 1 and 2, PostgreSQL 13 to 18)",
                    "use a PITR Console release that supports the PostgreSQL release that wrote this backup");
        }
        if (version < 1) {
            throw new PitrException(file + " is not a PostgreSQL backup manifest",
                    "only manifests written by pg_basebackup (PostgreSQL 13 or later) can be read");
        }
        // a 64-bit unsigned number: read as text, never through a double or a signed long
        Optional<String> systemId = version >= 2 && root.hasNonNull("System-Identifier")
                ? Optional.of(root.get("System-Identifier").asText()) : Optional.empty();
        if (version >= 2 && systemId.isEmpty()) {
            throw new PitrException(file + " is a version 2 backup manifest without a System-Identifier",
                    "the manifest is damaged; this backup cannot be verified - take a new one");
        }
        Map<String, FileEntry> files = new LinkedHashMap<>();
        for (JsonNode f : root.path("Files")) {
            String path = f.has("Path") ? f.get("Path").asText()
                    : new String(HexFormat.of().parseHex(f.path("Encoded-Path").asText()), StandardCharsets.UTF_8);
            files.put(path, new FileEntry(path, f.path("Size").asLong(),
                    f.path("Checksum-Algorithm").asText("NONE"), f.path("Checksum").asText("")));
        }
        List<WalRange> ranges = new java.util.ArrayList<>();
        for (JsonNode r : root.path("WAL-Ranges")) {
            ranges.add(new WalRange(r.path("Timeline").asInt(), Lsn.parse(r.path("Start-LSN").asText()),
                    Lsn.parse(r.path("End-LSN").asText())));
        }
        String problem = checkOwnChecksum(bytes, root.path("Manifest-Checksum").asText(""));
        return new BackupManifest(files, ranges, problem == null, problem, version, systemId);
    }

    /** The manifest checksum covers every byte up to and including the second-to-last newline. */
    private static String checkOwnChecksum(byte[] bytes, String expected) {
        if (expected.isEmpty()) {
            return "the manifest has no Manifest-Checksum";
        }
        int newlines = 0;
        int end = -1;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n' && ++newlines == 2) {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            return "the manifest is truncated";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, end);
            String actual = HexFormat.of().formatHex(sha.digest());
            return actual.equalsIgnoreCase(expected) ? null
                    : "the manifest's own checksum does not match (expected " + expected + ", computed " + actual + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
