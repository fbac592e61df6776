package io.pitrconsole.recovery.run;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.ServerUserFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The throw-away home of a rehearsal: root/data, root/tablespaces/OID, root/server.log, and the
 * server's socket in root itself (mode 0700, so only the server's OS user can connect through it).
 * A marker file lets 'restore discard' remove sandboxes and nothing else.
 */
public final class Sandbox {
    static final String MARKER = "pitr-sandbox.json";

    private final Path root;

    public Sandbox(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** What the marker file records. */
    record Marker(String restoreId, int port, Instant created) {
    }

    public Path root() {
        return root;
    }

    public Path dataDir() {
        return root.resolve("data");
    }

    Path logFile() {
        return root.resolve("server.log");
    }

    public static Path tablespaceDir(Path root, String oid) {
        return root.resolve("tablespaces").resolve(oid);
    }

    /** Refuses a non-empty directory: a rehearsal never writes over anything. */
    public void requireUnused() {
        if (!Files.exists(root)) {
            return;
        }
        // the WAL copies the pre-checks keep there are this restore's own (or a killed one's, removed as they are made again)
        Path checked = CheckedWal.dirBeside(root.resolve(WalAhead.SANDBOX_DIR)).toAbsolutePath().normalize();
        try (Stream<Path> s = Files.list(root)) {
            if (s.anyMatch(p -> !p.toAbsolutePath().normalize().equals(checked))) {
                throw new PitrException("rehearsal directory " + root + " is not empty",
                        Hint.of("name a new or empty directory, or leave it out to use a new temporary one",
                                "type a new or empty Directory on the Mode step, or leave it empty for a new temporary one"));
            }
        } catch (IOException e) {
            throw new PitrException("cannot read " + root + ": " + e.getMessage(), Hint.of("name another directory", "type another Directory on the Mode step"));
        }
    }

    /** Creates the root with its marker and an empty log file, all private to the owner. */
    void create(String restoreId, int port, ServerUserFiles files) {
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            AtomicFiles.write(root.resolve(MARKER), Json.mapper().writeValueAsBytes(new Marker(restoreId, port, Instant.now())));
            Files.write(logFile(), new byte[0]);
            Files.createDirectories(dataDir());
            Files.setPosixFilePermissions(dataDir(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new PitrException("cannot create the rehearsal directory " + root + ": " + e.getMessage(),
                    Hint.of("check free space and permissions, or pass another directory",
                            "check free space and permissions, or type another Directory on the Mode step"));
        }
        files.giveTree(root);
    }

    /**
     * Settings that keep the copy away from production (its own port and socket, no archiving)
     * and make it quicker to bring up. The copy is thrown away, so it need not survive a crash of
     * the machine: without fsync the server skips syncing the whole restored data directory
     * before redo, and restartpoints and the end-of-recovery checkpoint write to the page cache
     * without waiting for the disk. An in-place restore keeps the cluster's own (durable) settings.
     */
    public Map<String, String> settings(int port) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fsync", "off");
        s.put("port", String.valueOf(port));
        s.put("listen_addresses", "127.0.0.1");
        s.put("unix_socket_directories", root.toString());
        s.put("archive_mode", "off");
        s.put("archive_command", "");
        s.put("logging_collector", "off");
        s.put("cluster_name", "pitr-rehearsal");
        return s;
    }

    /** Lets the server's OS user in through the private socket, for the checks; TCP keeps the production rules. */
    void allowSocketChecks() {
        Path hba = dataDir().resolve("pg_hba.conf");
        try {
            String old = Files.exists(hba) ? Files.readString(hba) : "";
            Files.writeString(hba, "# pitr-console rehearsal: socket in a 0700 directory\nlocal all all trust\n" + old,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PitrException("cannot write " + hba + ": " + e.getMessage(), "check free space");
        }
    }

    /** Stops a server still running in the sandbox and deletes the whole sandbox. */
    public void remove(ClusterControl control) {
        if (Files.exists(dataDir().resolve("postmaster.pid")) && control.isRunning(dataDir())) {
            control.stop(dataDir(), "immediate");
        }
        try {
            FileTrees.deleteRecursively(root);
        } catch (IOException e) {
            throw new PitrException("could not remove " + root + ": " + e.getMessage(), "remove it by hand");
        }
    }

    /** The sandbox a user named (its root or its data directory), refusing anything without our marker. */
    public static Sandbox find(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        for (Path candidate : new Path[] {d, d.getParent()}) {
            if (candidate != null && Files.isRegularFile(candidate.resolve(MARKER))) {
                return new Sandbox(candidate);
            }
        }
        throw new PitrException(dir + " is not a rehearsal sandbox (no " + MARKER + " in it)",
                Hint.of("'restore history' shows where kept rehearsals live; only those are removed by 'restore discard'",
                        "the Rehearsal history tab of the Restore page shows where kept rehearsals live; only those are removed by Discard sandbox"));
    }
}
