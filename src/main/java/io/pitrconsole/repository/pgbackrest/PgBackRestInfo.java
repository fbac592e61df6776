package io.pitrconsole.repository.pgbackrest;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.PgBackRestStanza;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What 'pgbackrest info --output=json' says about one stanza: its status, its databases, its
 * archive ids and its backup sets.
 *
 * @param archiveIds the WAL archive ids (e.g. 15-1), oldest database first
 */
public record PgBackRestInfo(int statusCode, String statusMessage, boolean backupLockHeld, String cipher,
                             List<RepoStatus> repos, List<Database> databases, List<String> archiveIds, List<BackupSet> backups) {
    // pgBackRest's stanza status codes (INFO_STANZA_STATUS_CODE_* in its source)
    static final int OK = 0;
    static final int MISSING_STANZA_PATH = 1;
    static final int NO_BACKUP = 2;
    static final int MISSING_STANZA_DATA = 3;

    /** One repository's status, as pgBackRest reports it. */
    public record RepoStatus(int key, String cipher, int code, String message) {
    }

    /** A database (PostgreSQL version and system) the stanza has held. */
    public record Database(int id, String version, String systemId) {
    }

    /**
     * One backup set.
     *
     * @param type       full, diff or incr
     * @param prior      the set it is based on (diff and incr)
     * @param references the sets whose files it shares
     * @param error      whether pgBackRest found page checksum errors while taking it
     * @param size       the database's size
     * @param repoSize   what the set takes in the repository, counting the files it shares
     * @param repoDelta  what the set itself added to the repository
     */
    public record BackupSet(String label, String type, String prior, List<String> references, long startEpoch, long stopEpoch,
                            String startLsn, String stopLsn, String walStart, String walStop, int databaseId, boolean error,
                            long size, long delta, long repoSize, long repoDelta) {
    }

    /** Parses the JSON of 'info --output=json --stanza=...'. */
    static PgBackRestInfo parse(PgBackRestStanza stanza, String json) {
        JsonNode all;
        try {
            // a wrong passphrase decrypts to garbage, which pgBackRest repeats in its message unescaped
            all = io.pitrconsole.core.Json.mapper().readTree(json.replaceAll("[\\x00-\\x1f]", " "));
        } catch (IOException e) {
            throw new PitrException("pgbackrest info printed what is not JSON for " + stanza.describe() + ": " + e.getMessage(),
                    "run 'pgbackrest --stanza=" + stanza.name() + " info' to see what pgBackRest says");
        }
        JsonNode s = null;
        for (JsonNode n : all) {
            if (stanza.name().equals(n.path("name").asText())) {
                s = n;
            }
        }
        if (s == null) {
            throw new PitrException("pgbackrest info does not list " + stanza.describe(),
                    "create it with 'pgbackrest --stanza=" + stanza.name() + " stanza-create', or name a stanza 'pgbackrest info' lists");
        }
        List<RepoStatus> repos = new ArrayList<>();
        for (JsonNode r : s.path("repo")) {
            repos.add(new RepoStatus(r.path("key").asInt(), r.path("cipher").asText("none"), r.path("status").path("code").asInt(),
                    r.path("status").path("message").asText("")));
        }
        List<Database> dbs = new ArrayList<>();
        for (JsonNode d : s.path("db")) {
            dbs.add(new Database(d.path("id").asInt(), d.path("version").asText(), d.path("system-id").asText()));
        }
        List<String> archiveIds = new ArrayList<>();
        for (JsonNode a : s.path("archive")) {
            if (!archiveIds.contains(a.path("id").asText())) {
                archiveIds.add(a.path("id").asText());
            }
        }
        List<BackupSet> sets = new ArrayList<>();
        for (JsonNode b : s.path("backup")) {
            List<String> refs = new ArrayList<>();
            b.path("reference").forEach(r -> refs.add(r.asText()));
            JsonNode info = b.path("info");
            sets.add(new BackupSet(b.path("label").asText(), b.path("type").asText(), b.path("prior").isNull() ? null : b.path("prior").asText(),
                    refs, b.path("timestamp").path("start").asLong(), b.path("timestamp").path("stop").asLong(),
                    b.path("lsn").path("start").asText(null), b.path("lsn").path("stop").asText(null),
                    b.path("archive").path("start").asText(null), b.path("archive").path("stop").asText(null),
                    b.path("database").path("id").asInt(), b.path("error").asBoolean(false),
                    info.path("size").asLong(), info.path("delta").asLong(),
                    info.path("repository").path("size").asLong(), info.path("repository").path("delta").asLong()));
        }
        return new PgBackRestInfo(s.path("status").path("code").asInt(), s.path("status").path("message").asText(""),
                s.path("status").path("lock").path("backup").path("held").asBoolean(false), s.path("cipher").asText("none"),
                repos, dbs, archiveIds, sets);
    }

    /** The database a backup set was taken of. */
    public Optional<Database> database(int id) {
        return databases.stream().filter(d -> d.id() == id).findFirst();
    }

    /** The set with this label. */
    public Optional<BackupSet> backup(String label) {
        return backups.stream().filter(b -> b.label().equals(label)).findFirst();
    }

    /**
     * Fails with a hint unless the stanza can be read: it exists and its repository is not in error.
     * A stanza without backups yet can be read.
     */
    void requireReadable(PgBackRestStanza stanza) {
        if (statusCode == OK || statusCode == NO_BACKUP) {
            return;
        }
        String repoMessage = repos.stream().filter(r -> r.code() != OK && r.code() != NO_BACKUP).map(RepoStatus::message).findFirst()
                .orElse(statusMessage);
        if (statusCode == MISSING_STANZA_PATH) {
            throw new PitrException(stanza.describe() + " does not exist: pgBackRest reports '" + statusMessage + "'",
                    "create it with 'pgbackrest --stanza=" + stanza.name() + " stanza-create', or check the stanza name,"
                            + " --pgbackrest-config and --pgbackrest-repo");
        }
        boolean encrypted = repos.stream().anyMatch(r -> !"none".equals(r.cipher()));
        // a wrong passphrase decrypts to garbage: pgBackRest then fails on the padding or on the text
        if (encrypted && (repoMessage.contains("CryptoError") || repoMessage.contains("FormatError"))) {
            throw new PitrException(stanza.describe() + " is encrypted and pgBackRest cannot decrypt it with the passphrase it was given",
                    "set the repository's passphrase the way pgBackRest reads it: repoN-cipher-pass in its configuration file or the"
                            + " PGBACKREST_REPO1_CIPHER_PASS environment variable; this console never takes a passphrase as an argument");
        }
        throw new PitrException("pgBackRest reports " + stanza.describe() + " in error: " + firstLine(repoMessage),
                "run 'pgbackrest --stanza=" + stanza.name() + " info' and 'pgbackrest --stanza=" + stanza.name()
                        + " check' as the server's OS user and fix what they report");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
