package io.pitrconsole.repository.pgbackrest;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.RestoreDecompression;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * The WAL in a pgBackRest repository, as the console's WAL reader sees any archive: the files the
 * server archived, under the names it archived them as. pgBackRest stores a segment as
 * archive/STANZA/ARCHIVE-ID/TTTTTTTTLLLLLLLL/SEGMENT-SHA1[.gz|.zst|...]; it is listed under SEGMENT
 * (with .gz or .zst kept, which the reader decompresses itself) and read with repo-get, which
 * decrypts an encrypted repository. A segment compressed with lz4 (pgBackRest's is the LZ4 frame
 * format) or bz2 is decompressed here and listed under its bare name, with the stanza's segment
 * size as its size, as a plain segment would be: the console's own archives never hold those, so
 * the reader and the other kinds' restore_command stay as they are, and archive-get serves it to
 * the server decompressed. One repo-ls lists everything; only files the index has not
 * read yet are fetched, so an index stays current at the cost of the new WAL only.
 * The console writes nothing here: only pgBackRest's archive-push does.
 */
final class PgBackRestWalStore implements WalStore {
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{24}(?:\\.partial)?)-[0-9a-f]{40}(\\.[a-z0-9]+)?");
    private static final Pattern OTHER = Pattern.compile("[0-9A-F]{8}\\.history|[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");

    private final PgBackRestCommands commands;
    private final Supplier<PgBackRestInfo> info;
    private static final int LONG_HEADER = 40;

    private Map<String, Listed> listed = Map.of();
    private long segmentSize = -1;

    /** @param codec the compression this store undoes itself (".lz4", ".bz2"), or "" */
    private record Listed(WalFile file, String repoPath, String codec) {
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
                    String codec = codecOf(file);
                    WalFile w = new WalFile(codec.isEmpty() ? name : name.substring(0, name.length() - codec.length()),
                            e.getValue().path("size").asLong(), Instant.ofEpochSecond(e.getValue().path("time").asLong()));
                    found.put(w.name(), new Listed(w, root + "/" + rel, codec));
                }
            });
        }
        listed = found;
        List<WalFile> files = new ArrayList<>();
        for (Listed l : found.values()) {
            files.add(l.codec().isEmpty() ? l.file() : new WalFile(l.file().name(), segmentSize(l), l.file().modified()));
        }
        return files;
    }

    private static String codecOf(String file) {
        return file.endsWith(".lz4") ? ".lz4" : file.endsWith(".bz2") ? ".bz2" : "";
    }

    /**
     * A segment this store decompresses has the stanza's segment size once decompressed, read
     * once from the long page header of the first such segment (every segment of a cluster has
     * the same size); 16 MiB when that header cannot be read, and the reader then says what is wrong.
     */
    private long segmentSize(Listed first) {
        if (segmentSize < 0) {
            segmentSize = WalSegmentName.DEFAULT_SEGMENT_SIZE;
            try (InputStream in = decompressed(first)) {
                byte[] head = in.readNBytes(LONG_HEADER);
                if (head.length == LONG_HEADER) {
                    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                    long size = Integer.toUnsignedLong(b.getInt(32));
                    if ((b.getShort(2) & 0x2) != 0 && size >= (1 << 20) && size <= (1L << 30) && Long.bitCount(size) == 1) {
                        segmentSize = size;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // a damaged segment says nothing about the size; reading it later says what is wrong with it
            }
        }
        return segmentSize;
    }

    private InputStream decompressed(Listed l) throws IOException {
        InputStream raw = new ByteArrayInputStream(commands.bytes("repo-get", l.repoPath()));
        return switch (l.codec()) {
            case ".lz4" -> new FramedLZ4CompressorInputStream(raw, true);
            case ".bz2" -> new BZip2CompressorInputStream(raw, true);
            default -> raw;
        };
    }

    /** The name the server archived a file as, with its compression's suffix kept; null for files that are not WAL. */
    private String nameOf(String file) {
        Matcher m = SEGMENT.matcher(file);
        if (m.matches()) {
            String ext = m.group(2) == null ? "" : m.group(2);
            if (!ext.isEmpty() && !List.of(".gz", ".zst", ".lz4", ".bz2").contains(ext)) {
                throw new PitrException(describe() + " holds WAL compressed with " + ext.substring(1)
                        + ", which this console's WAL reader does not read",
                        "set compress-type to gz, zst, lz4 or bz2 (or none) for the stanza; WAL already archived stays as it is,"
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
        return decompressed(l);
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

    /**
     * archive-get decompresses what archive-push compressed (gz, zst, lz4, bz2) itself, so the
     * server's restore_command runs no program from PATH for it.
     */
    @Override
    public synchronized RestoreDecompression restoreDecompression(List<String> names) {
        if (listed.isEmpty()) {
            list();
        }
        java.util.TreeSet<String> types = new java.util.TreeSet<>();
        for (String n : names) {
            Listed l = listed.get(n);
            if (l != null) {
                Matcher m = SEGMENT.matcher(l.repoPath().substring(l.repoPath().lastIndexOf('/') + 1));
                if (m.matches() && m.group(2) != null) {
                    types.add(m.group(2).substring(1));
                }
            }
        }
        return new RestoreDecompression(List.of(), types.isEmpty() ? "WAL segments are not compressed, pgBackRest's archive-get copies them"
                : "pgBackRest's archive-get decompresses the stanza's " + String.join(" and ", types)
                        + " WAL segments itself, restore_command runs no other program");
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
