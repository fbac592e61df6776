package io.pitrconsole.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the interruption tests of in-place restores share: the CLI in a child JVM (so it can be
 * sent SIGTERM or SIGKILL like a real process), a fingerprint of production that must survive
 * every interruption, and waits on states with deadlines.
 */
final class InPlaceCrashKit {
    private final PgTestCluster cluster;

    InPlaceCrashKit(PgTestCluster cluster) {
        this.cluster = cluster;
    }

    /** Production as the DBA knows it: rows and a checksum of a table, the system identifier, the data directory itself. */
    record Fingerprint(String rows, String checksum, String systemId, Object inode, Set<String> files) {
    }

    Fingerprint fingerprint(String table) {
        try {
            return new Fingerprint(cluster.queryOne("SELECT count(*) FROM " + table),
                    cluster.queryOne("SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM " + table + " t"),
                    cluster.queryOne("SELECT system_identifier::text FROM pg_control_system()"),
                    Files.getAttribute(cluster.dataDir(), "unix:ino"), stableFiles());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The data directory's files that a stop and start do not change (relations, config, commit log). */
    private Set<String> stableFiles() throws IOException {
        Path root = cluster.dataDir();
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                String name = p.getFileName().toString();
                if (rel.startsWith("pg_wal/") || rel.startsWith("pg_stat") || rel.startsWith("pg_logical/") || rel.startsWith("pg_subtrans/")
                        || name.startsWith("postmaster.") || name.equals("pg_internal.init")) {
                    continue;
                }
                out.add(rel);
            }
        }
        return out;
    }

    /** Runs the CLI in a new JVM; stdout and stderr go to out. */
    Process cli(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--archive", cluster.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(cluster.port()), "-U", "postgres"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    Process inPlaceRestore(Path out) throws IOException {
        return cli(out, "restore", "run", "--latest", "--in-place", "--data-dir", cluster.dataDir().toString(), "--yes");
    }

    /** Leftovers of a restore beside the data directory: directories moved aside, journals. */
    List<String> strays() throws IOException {
        List<String> out = new ArrayList<>();
        String name = cluster.dataDir().getFileName().toString();
        try (Stream<Path> s = Files.list(cluster.dataDir().getParent())) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name + ".pitr-old-") || n.endsWith(".pitr-journal.json")
                    || n.equals(name + ".pitr-wal-ahead"))
                    .forEach(out::add);
        }
        Path pointers = cluster.archiveDir().resolve(".pitr/journals");
        if (Files.isDirectory(pointers)) {
            try (Stream<Path> s = Files.list(pointers)) {
                s.forEach(p -> out.add(".pitr/journals/" + p.getFileName()));
            }
        }
        return out;
    }

    boolean serverRunning() {
        return Files.exists(cluster.dataDir().resolve("postmaster.pid")) && cluster.control().isRunning(cluster.dataDir());
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void waitUntil(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Waits for the child to print a line (a step beginning, say); false when it ended first. */
    static boolean awaitOutput(Process p, Path out, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(out).contains(text)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                return read(out).contains(text);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
