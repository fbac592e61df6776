package io.pitrconsole.repository.pgbackrest;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WAL in a pgBackRest repository, as the console's WAL reader sees any archive: the files the
 * server archived, under the names it archived them as. pgBackRest stores a segment as
 * archive/STANZA/ARCHIVE-ID/TTTTTTTTLLLLLLLL/SEGMENT-SHA1[.gz|.zst|...]; it is listed under SEGMENT
 * (with .gz or .zst kept, which the reader decompresses itself) and read with repo-get, which
 * decrypts an encrypted repository. One repo-ls lists everything; only files the index has not
 * read yet are fetched, so an index stays current at the cost of the new WAL only.
 * The console writes nothing here: only pgBackRest's archive-push does.
 */
final class PgBackRestWalStore implements WalStore {
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{24}(?:\\.partial)?)-[0-9a-f]{40}(\\.[a-z0-9]+)?");
    private static final Pattern OTHER = Pattern.compile("[0-9A-F]{8}\\.history|[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");

    private final PgBackRestCommands commands;
    private final Supplier<PgBackRestInfo> info;
    private Map<String, Listed> listed = Map.of();

    private record Listed(WalFile file, String repoPath) {
    }

    PgBackRestWalStore(PgBackRestCommands commands, Supplier<PgBackRestInfo> info) {
        this.commands = commands;
        this.info = info;
    }

    @Override
    public synchronized List<WalFile> list() {
        PgBackRestInfo i = info.get();
        String root = "archive/" + commands.stanza().name();
        JsonNode all;
        try {
            all = io.pitrconsole.core.Json.mapper().readTree(commands.text("repo-ls", "--recurse", "--output=json", root));
        } catch (IOException e) {
            throw new PitrException("pgbackrest repo-ls printed what is not JSON for " + describe() + ": " + e.getMessage(),
                    "run 'pgbackrest --stanza=" + commands.stanza().name() + " repo-ls --recurse " + root + "' to see what pgBackRest says");
        }
        Map<String, Listed> found = new LinkedHashMap<>();
        // later archive ids (after a stanza-upgrade) come last and win a name both hold
        for (String archiveId : i.archiveIds()) {
            all.fields().forEachRemaining(e -> {
                String rel = e.getKey();
                if (!rel.startsWith(archiveId + "/") || !"file".equals(e.getValue().path("type").asText())) {
                    return;
                }
                String file = rel.substring(rel.lastIndexOf('/') + 1);
                String name = nameOf(file);
                if (name != null) {
                    WalFile w = new WalFile(name, e.getValue().path("size").asLong(), Instant.ofEpochSecond(e.getValue().path("time").asLong()));
                    found.put(name, new Listed(w, root + "/" + rel));
                }
            });
        }
        listed = found;
        return found.values().stream().map(Listed::file).toList();
    }

    /** The name the server archived a file as, with .gz or .zst kept; null for files that are not WAL. */
    private String nameOf(String file) {
        Matcher m = SEGMENT.matcher(file);
        if (m.matches()) {
            String ext = m.group(2) == null ? "" : m.group(2);
            if (!ext.isEmpty() && !ext.equals(".gz") && !ext.equals(".zst")) {
                throw new PitrException(describe() + " holds WAL compressed with " + ext.substring(1)
                        + ", which this console's WAL reader does not read",
                        "set compress-type=gz or compress-type=zst (or none) for the stanza; WAL already archived stays as it is,"
                                + " so recovery windows start after the change");
            }
            return m.group(1) + ext;
        }
        return OTHER.matcher(file).matches() ? file : null;
    }

    @Override
    public synchronized InputStream open(String name) throws IOException {
        Listed l = listed.get(name);
        if (l == null) {
            list();
            l = listed.get(name);
        }
        if (l == null) {
            throw new NoSuchFileException(name + " in " + describe());
        }
        return new ByteArrayInputStream(commands.bytes("repo-get", l.repoPath()));
    }

    @Override
    public void put(String name, InputStream content) {
        throw readOnly("store " + name);
    }

    @Override
    public boolean delete(String name) {
        throw readOnly("remove " + name);
    }

    private PitrException readOnly(String what) {
        return new PitrException("the console does not " + what + " in " + describe() + ": only pgBackRest writes into its repository",
                "use pgBackRest's own commands (archive-push, expire) for its WAL archive");
    }

    @Override
    public String describe() {
        return commands.stanza().describe();
    }

    @Override
    public ArchiveCommand archiveCommand() {
        return new PgBackRestArchiveCommand(commands);
    }

    @Override
    public String restoreCommand(Optional<Path> staged) {
        // archive-get insists that pg1-path is the data directory of the server running it: the
        // server runs restore_command there, so the shell's $PWD is that directory, whatever the restore's target
        return commands.shellLine("archive-get") + " --pg1-path=\"$PWD\" %f \"%p\"";
    }

    @Override
    public void checkServerCanRead(ServerShell shell, List<String> names) {
        // every command of this store already runs as the server's OS user: what it lists, the server can fetch
        List<String> missing = new ArrayList<>();
        List<String> present = list().stream().map(WalFile::name).toList();
        for (String n : names) {
            if (present.stream().noneMatch(p -> p.equals(n) || p.equals(n + ".gz") || p.equals(n + ".zst"))) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw new PitrException(describe() + " lacks " + missing.size() + " WAL file(s) the restore needs, the first " + missing.get(0),
                    "run 'pgbackrest --stanza=" + commands.stanza().name() + " check'; restore to a target before the gap, or from a later backup");
        }
    }

    @Override
    public void checkServerCanWrite(ServerShell shell) {
        // archive-push runs as the server's OS user, as every command of this store does; pgBackRest checks its own writes
    }
}
