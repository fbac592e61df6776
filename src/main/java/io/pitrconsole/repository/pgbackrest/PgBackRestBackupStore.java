package io.pitrconsole.repository.pgbackrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The backup sets of a pgBackRest stanza as the catalog reads any backup: each set's record
 * document is written here from 'pgbackrest info' (the same fields backup.json has, in the same
 * words), so listing, showing, counting and planning need nothing of pgBackRest's format above
 * this. A set's files stay pgBackRest's: the console lists none and writes none; a set is
 * restored with pgBackRest's own restore.
 */
final class PgBackRestBackupStore implements BackupStore {
    /** How the record says where its times come from. */
    static final String TIME_SOURCE = "pgbackrest-info";

    private final PgBackRestCommands commands;
    private final Supplier<PgBackRestInfo> info;
    private final Path verifications;

    /** @param verifications where the console keeps what its verifications of the sets found (on this machine) */
    PgBackRestBackupStore(PgBackRestCommands commands, Supplier<PgBackRestInfo> info, Path verifications) {
        this.commands = commands;
        this.info = info;
        this.verifications = verifications;
    }

    @Override
    public List<String> ids() {
        return info.get().backups().stream().map(PgBackRestInfo.BackupSet::label).toList();
    }

    @Override
    public boolean exists(String id) {
        return info.get().backup(id).isPresent();
    }

    @Override
    public Optional<byte[]> readRecord(String id) throws IOException {
        PgBackRestInfo i = info.get();
        Optional<PgBackRestInfo.BackupSet> set = i.backup(id);
        if (set.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode r = record(i, set.get());
        JsonNode verified = readVerifications().path(id);
        if (verified.isObject()) {
            // a set pgBackRest took with errors stays corrupt whatever a later verification said
            if (!set.get().error()) {
                r.set("status", verified.path("status"));
            }
            r.set("lastVerified", verified.path("lastVerified"));
            r.set("verifyDetail", verified.path("verifyDetail"));
        }
        return Optional.of(Json.mapper().writeValueAsBytes(r));
    }

    private JsonNode readVerifications() throws IOException {
        try {
            return Json.mapper().readTree(RegularFiles.readAllBytes(verifications));
        } catch (NoSuchFileException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static ObjectNode record(PgBackRestInfo i, PgBackRestInfo.BackupSet b) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("formatVersion", 1);
        r.put("id", b.label());
        r.put("label", describe(b));
        r.put("status", b.error() ? "corrupt" : "complete");
        r.put("startTime", Instant.ofEpochSecond(b.startEpoch()).toString());
        r.put("stopTime", Instant.ofEpochSecond(b.stopEpoch()).toString());
        r.put("stopTimeSource", TIME_SOURCE);
        if (b.startLsn() != null) {
            r.put("startLsn", b.startLsn());
        }
        if (b.stopLsn() != null) {
            r.put("stopLsn", b.stopLsn());
        }
        if (b.walStart() != null && b.walStart().length() == 24) {
            r.put("timeline", Integer.parseInt(b.walStart().substring(0, 8), 16));
        }
        i.database(b.databaseId()).ifPresent(d -> {
            r.put("pgVersion", d.version());
            r.put("systemIdentifier", d.systemId());
        });
        // what the set itself added to the repository (a diff or incr shares the rest with its references)
        r.put("sizeBytes", b.repoDelta());
        r.put("originalSizeBytes", b.size());
        r.put("port", 0);
        r.put("durationSeconds", (double) (b.stopEpoch() - b.startEpoch()));
        if (b.error()) {
            r.put("error", "pgBackRest found page checksum errors while taking this set; 'pgbackrest info --set " + b.label()
                    + "' names the files");
        }
        return r;
    }

    /** The set's type and what it is based on, in words: the catalog's label. */
    static String describe(PgBackRestInfo.BackupSet b) {
        String text = "pgBackRest " + b.type();
        if (b.prior() != null) {
            text += " based on " + b.prior();
        }
        if (!b.references().isEmpty()) {
            text += ", references " + String.join(" ", b.references());
        }
        return text;
    }

    /**
     * Keeps only what a verification changes (status verified or corrupt, when, what it found), on
     * this machine: the rest of a set's record is pgBackRest's, and its repository is not written.
     */
    @Override
    public synchronized void writeRecord(String id, byte[] document) throws IOException {
        JsonNode r = Json.mapper().readTree(document);
        if (!exists(id) || r.path("lastVerified").isMissingNode() || r.path("lastVerified").isNull()) {
            throw readOnly("change the record of " + id);
        }
        ObjectNode all = (ObjectNode) readVerifications();
        ObjectNode v = all.putObject(id);
        v.set("status", r.path("status"));
        v.set("lastVerified", r.path("lastVerified"));
        v.set("verifyDetail", r.path("verifyDetail"));
        Files.createDirectories(verifications.getParent());
        AtomicFiles.write(verifications, Json.mapper().writeValueAsBytes(all));
    }

    @Override
    public void delete(String id) {
        throw new PitrException("the console does not remove pgBackRest backup set " + id + ": pgBackRest's catalog is pgBackRest's",
                "remove it with pgBackRest's retention: 'pgbackrest --stanza=" + commands.stanza().name() + " expire --set=" + id + "'");
    }

    @Override
    public long size(String id) {
        return info.get().backup(id).map(PgBackRestInfo.BackupSet::repoDelta).orElse(0L);
    }

    @Override
    public long size(String id, String file) throws IOException {
        throw new NoSuchFileException(file + " of " + where(id));
    }

    @Override
    public List<String> files(String id) {
        return List.of();
    }

    @Override
    public InputStream open(String id, String file) throws IOException {
        throw new NoSuchFileException(file + " of " + where(id) + " (pgBackRest keeps a set's files in its own format)");
    }

    @Override
    public Optional<Path> localFile(String id, String file) {
        return Optional.empty();
    }

    @Override
    public String where(String id) {
        return "backup set " + id + " of " + commands.stanza().describe();
    }

    @Override
    public String newId(LocalDateTime now) {
        throw readOnly("name a new backup");
    }

    @Override
    public NewBackup create(String id) {
        throw readOnly("write a backup");
    }

    @Override
    public boolean hasIncoming(String id) {
        return false;
    }

    @Override
    public void discardFiles(String id) {
        throw readOnly("remove the files of " + id);
    }

    @Override
    public OptionalLong usableSpace() {
        return OptionalLong.empty();
    }

    private PitrException readOnly(String what) {
        return new PitrException("the console does not " + what + " in " + commands.stanza().describe()
                + ": only pgBackRest writes into its repository",
                "take backups with 'pgbackrest --stanza=" + commands.stanza().name() + " backup'");
    }
}
