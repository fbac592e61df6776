package io.pitrconsole.it;

import io.pitrconsole.core.FileTrees;
import io.pitrconsole.pg.OsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real pgBackRest stanza for a test cluster: a posix repository in a temp directory with its
 * own configuration file, stanza-create run, and the cluster archiving into it with
 * pgbackrest archive-push. Everything pgBackRest writes belongs to the server's OS user, who runs
 * it. The caller closes it (the directory goes; the cluster stays the caller's).
 */
public final class PgBackRestStanza implements AutoCloseable {
    static final Path PROGRAM = Path.of("/usr/bin/pgbackrest");

    private final PgTestCluster cluster;
    private final String name;
    private final Path base;
    private final Path config;
    private final Path repo;

    private PgBackRestStanza(PgTestCluster cluster, String name, Path base, Map<String, String> repoOptions) throws IOException {
        this.cluster = cluster;
        this.name = name;
        this.base = base;
        this.config = base.resolve("pgbackrest.conf");
        this.repo = base.resolve("repo");
        Files.createDirectories(repo);
        Files.createDirectories(base.resolve("log"));
        List<String> lines = new ArrayList<>(List.of("[global]", "repo1-path=" + repo, "log-path=" + base.resolve("log"),
                "lock-path=" + base.resolve("log"), "start-fast=y", "repo1-retention-full=9999", "log-level-console=info"));
        repoOptions.forEach((k, v) -> lines.add(k + "=" + v));
        lines.addAll(List.of("[" + name + "]", "pg1-path=" + cluster.dataDir(), "pg1-port=" + cluster.port(),
                "pg1-socket-path=" + cluster.baseDir(), "pg1-user=" + PgTestCluster.SUPERUSER));
        Files.write(config, lines);
        cluster.giveToServerUser(base);
    }

    /** Creates the stanza and switches the cluster's archive_command to archive-push into it. */
    public static PgBackRestStanza create(PgTestCluster cluster, String name, Map<String, String> repoOptions) throws IOException {
        PgBackRestStanza s = createOnly(cluster, name, repoOptions);
        try {
            cluster.sql("ALTER SYSTEM SET archive_command = '" + PROGRAM + " --config=" + s.config + " --stanza=" + name + " archive-push %p'");
            cluster.sql("SELECT pg_reload_conf()");
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Creates the stanza, leaving the cluster's archive_command as it is. */
    static PgBackRestStanza createOnly(PgTestCluster cluster, String name, Map<String, String> repoOptions) throws IOException {
        Path base = Files.createTempDirectory("pitr-pgbr-");
        PgBackRestStanza s = new PgBackRestStanza(cluster, name, base, repoOptions);
        try {
            s.pgbackrest(Duration.ofSeconds(60), "stanza-create");
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A copy of the configuration file without the lines that start so, readable by the server's OS user. */
    Path configWithout(String prefix, String replacement) throws IOException {
        Path copy = base.resolve("without-" + prefix + ".conf");
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(config)) {
            if (!l.startsWith(prefix)) {
                lines.add(l);
            } else if (replacement != null) {
                lines.add(replacement);
            }
        }
        Files.write(copy, lines);
        cluster.giveToServerUser(copy);
        return copy;
    }

    String name() {
        return name;
    }

    Path config() {
        return config;
    }

    Path repo() {
        return repo;
    }

    /** pgbackrest://NAME with this stanza's configuration file, as a profile keeps it. */
    public String location() {
        return "pgbackrest://" + name + "?config=" + config;
    }

    /** The environment of a command-line run: the console's caches and home under {@code home}, pgbackrest on the PATH. */
    static Map<String, String> cliEnv(Path home) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("XDG_CACHE_HOME", home.toString());
        env.put("HOME", home.toString());
        return env;
    }

    /** A verb's arguments against this stanza and the cluster it backs up. */
    String[] cliArgs(PgTestCluster cluster, String... verb) {
        List<String> all = new ArrayList<>(List.of(verb));
        all.addAll(List.of("--archive", location(), "-h", "127.0.0.1", "-p", String.valueOf(cluster.port()), "-U", PgTestCluster.SUPERUSER));
        return all.toArray(String[]::new);
    }

    /** A real pgbackrest backup of the given type (full, diff, incr). */
    public void backup(String type) {
        pgbackrest(Duration.ofSeconds(120), "backup", "--type=" + type);
    }

    /** Runs pgbackrest for the stanza as the server's OS user; its output when it succeeds, an exception with it when not. */
    String pgbackrest(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(PROGRAM.toString(), "--config=" + config, "--stanza=" + name));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(new OsUser(OsUser.DEFAULT).wrap(cmd)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pgbackrest " + args[0] + " did not finish in " + timeout);
            }
            String text = new String(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pgbackrest " + String.join(" ", args) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Forces the current segment out and waits until archive-push has stored it; returns its name. */
    String switchWalAndWaitArchived(Duration timeout) {
        String segment = cluster.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!segment.equals(cluster.queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("segment " + segment + " was not archived within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return segment;
    }

    /** The repository file of a segment (archive/NAME/ARCHIVE-ID/DIR/SEGMENT-SHA1.gz). */
    Path segmentFile(String segment) throws IOException {
        try (var files = Files.walk(repo.resolve("archive").resolve(name))) {
            return files.filter(f -> f.getFileName().toString().startsWith(segment + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + segment + " in " + repo));
        }
    }

    @Override
    public void close() {
        try {
            FileTrees.deleteRecursively(base);
        } catch (IOException ignored) {
            // temp dir; the OS cleans it eventually
        }
    }
}
