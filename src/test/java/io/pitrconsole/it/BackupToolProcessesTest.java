package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.SearchPath;
import io.pitrconsole.pg.ProcessTable;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.ArchiveLock;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pg_basebackup and its WAL-streaming child live exactly as long as the backup that started them:
 * a killed pg_basebackup fails the backup at once, a killed console takes them down with it, and
 * neither leaves a walsender or a temporary replication slot on the server.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackupToolProcessesTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void data() {
        // about 20 MB more than an empty cluster: at 2 MB/s the copy lasts long enough to kill it mid-way
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 300000) g");
    }

    @AfterEach
    void noLeftovers() throws Exception {
        // a failing run must not leave its processes copying for minutes
        started.forEach(Process::destroyForcibly);
        ToolProcesses.basebackups(archive()).forEach(f -> ProcessHandle.of(f.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Path archive() {
        return pg.cluster().archiveDir();
    }

    private ArchiveLayout layout() {
        return new ArchiveLayout(archive());
    }

    private Process startBackup(String name, Map<String, String> env, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("backup", "create",
                "--archive", archive().toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres",
                "--max-rate", "2M", "--history-wait", "5"));
        args.addAll(List.of(more));
        Process p = ToolProcesses.startCli(pg.cluster().baseDir().resolve(name + ".out"), env, args.toArray(String[]::new));
        started.add(p);
        return p;
    }

    /** Waits until pg_basebackup copies and its WAL-streaming child runs; returns the main pg_basebackup. */
    private ToolProcesses.Found awaitStreaming(Process cli) throws Exception {
        ToolProcesses.waitUntil("pg_basebackup with its WAL streamer", Duration.ofSeconds(60),
                () -> !cli.isAlive() || ToolProcesses.basebackups(archive()).size() >= 2
                        && new BackupCatalog(LocalDirectoryRepository.at(layout().root())).records().stream().anyMatch(r -> r.status() == BackupStatus.RUNNING));
        assertThat(cli.isAlive()).as("the backup is still running").isTrue();
        return ToolProcesses.mainBasebackup(archive()).orElseThrow();
    }

    private String output(String name) throws Exception {
        return Files.readString(pg.cluster().baseDir().resolve(name + ".out"));
    }

    private BackupRecord newest() {
        return new BackupCatalog(LocalDirectoryRepository.at(layout().root())).records().stream()
                .max(java.util.Comparator.comparing(BackupRecord::id)).orElseThrow();
    }

    private void assertServerHasNoBackupConnections() throws Exception {
        ToolProcesses.waitUntil("walsenders and temporary slots gone from the server", Duration.ofSeconds(30),
                () -> "0".equals(pg.cluster().queryOne("SELECT count(*) FROM pg_stat_replication"))
                        && "0".equals(pg.cluster().queryOne("SELECT count(*) FROM pg_replication_slots")));
    }

    @Test
    void killedBasebackupFailsTheBackupAtOnceAndLeavesNothingRunning() throws Exception {
        Process cli = startBackup("killed-basebackup", Map.of());
        ToolProcesses.Found main = awaitStreaming(cli);

        long killed = System.nanoTime();
        ProcessHandle.of(main.pid()).orElseThrow().destroyForcibly();

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("backup create exits within 30 s of pg_basebackup's death").isTrue();
        System.out.printf("backup create exited %d ms after pg_basebackup was killed%n", (System.nanoTime() - killed) / 1_000_000);
        assertThat(cli.exitValue()).isNotZero();
        String out = output("killed-basebackup");
        assertThat(out).contains("error: pg_basebackup was killed by signal 9").contains("hint: ").doesNotContain("\tat ");
        BackupRecord r = newest();
        assertThat(r.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(r.error()).contains("killed by signal 9");
        try (Stream<Path> left = Files.list(layout().backupDir(r.id()))) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactly("backup.json");
        }
        assertThat(layout().lockFile()).doesNotExist();
        assertThat(ToolProcesses.basebackups(archive())).as("no WAL streamer survives").isEmpty();
        assertServerHasNoBackupConnections();
    }

    @Test
    void basebackupKilledDuringASpreadCheckpointLeavesNoWalsenderWaitingOnIt() throws Exception {
        // dirty pages make a spread checkpoint last minutes; the walsender waiting on it does not notice its client left
        pg.cluster().sql("UPDATE t SET v = md5(v)");
        Process cli = startBackup("spread-checkpoint", Map.of(), "--checkpoint", "spread");
        ToolProcesses.waitUntil("pg_basebackup waiting for the checkpoint", Duration.ofSeconds(60),
                () -> !cli.isAlive() || ToolProcesses.mainBasebackup(archive()).isPresent()
                        && "backup".equals(pg.cluster().queryOne("SELECT state FROM pg_stat_replication LIMIT 1")));
        assertThat(cli.isAlive()).isTrue();

        ProcessHandle.of(ToolProcesses.mainBasebackup(archive()).orElseThrow().pid()).orElseThrow().destroyForcibly();

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).isNotZero();
        assertThat(output("spread-checkpoint")).contains("killed by signal 9");
        assertThat(newest().status()).isEqualTo(BackupStatus.FAILED);
        assertServerHasNoBackupConnections();
    }

    @Test
    void killedConsoleTakesPgBasebackupDownAndTheNextBackupCleansUp() throws Exception {
        Process cli = startBackup("killed-console", Map.of());
        awaitStreaming(cli);
        BackupRecord interrupted = newest();
        assertThat(interrupted.status()).isEqualTo(BackupStatus.RUNNING);

        long killed = System.nanoTime();
        cli.destroyForcibly(); // SIGKILL: no code of the console runs after this

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ToolProcesses.waitUntil("pg_basebackup and its streamer gone", Duration.ofSeconds(20),
                () -> ToolProcesses.basebackups(archive()).isEmpty());
        System.out.printf("pg_basebackup and its streamer were gone %d ms after the console was killed%n",
                (System.nanoTime() - killed) / 1_000_000);
        assertServerHasNoBackupConnections();
        assertThat(ArchiveLock.holders(layout())).isEmpty();

        CliRunner.Result next = CliRunner.run(Map.of(), "backup", "create", "--archive", archive().toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--history-wait", "5");
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.err()).contains("backup " + interrupted.id() + " was left unfinished");
        BackupRecord after = new BackupCatalog(LocalDirectoryRepository.at(layout().root())).get(interrupted.id());
        assertThat(after.status()).isEqualTo(BackupStatus.FAILED);
        try (Stream<Path> left = Files.list(layout().backupDir(interrupted.id()))) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactly("backup.json");
        }
    }

    @Test
    void consoleKilledAsItStartsPgBasebackupLeavesNothingRunning() throws Exception {
        // A console held up right after it starts pg_basebackup (load, a debugger, SIGSTOP) and then killed: a setsid of
        // this test's own, first on the console's PATH, stops the console the moment it starts pg_basebackup's launch.
        Path bin = Files.createTempDirectory("pitr-stalling-setsid-");
        try {
            Path setsid = bin.resolve("setsid");
            Path real = SearchPath.find(System.getenv("PATH"), "setsid").orElseThrow();
            Files.writeString(setsid, "#!/bin/sh\ncase \"$*\" in *pg_basebackup*) kill -STOP \"$PPID\" ;; esac\nexec " + real + " \"$@\"\n");
            assertThat(setsid.toFile().setExecutable(true)).isTrue();
            Process cli = startBackup("stalled-console", Map.of("PATH", bin + ":" + System.getenv("PATH")));
            ToolProcesses.waitUntil("the console stopped as it starts pg_basebackup", Duration.ofSeconds(60),
                    () -> !cli.isAlive() || ProcessTable.entry(cli.pid()).map(e -> e.state() == 'T').orElse(false));
            assertThat(cli.isAlive()).as(output("stalled-console")).isTrue();
            // meanwhile what the console launched goes on by itself: pg_basebackup as far as its WAL streamer, or a
            // launch that waits (its process is neither setsid nor pg_basebackup yet)
            ToolProcesses.waitUntil("pg_basebackup streaming, or its launch waiting", Duration.ofSeconds(60), () -> {
                List<ToolProcesses.Found> launched = ToolProcesses.basebackups(archive());
                long programs = launched.stream().filter(f -> ToolProcesses.name(f.pid()).equals("pg_basebackup")).count();
                return programs >= 2 || launched.stream().map(f -> ToolProcesses.name(f.pid()))
                        .anyMatch(n -> !n.isEmpty() && !n.equals("pg_basebackup") && !n.equals("setsid"));
            });
            System.out.println("when the stopped console was killed: " + ToolProcesses.basebackups(archive()).stream()
                    .map(f -> f.pid() + " " + ToolProcesses.name(f.pid()) + " (parent " + f.parentPid() + ")").toList());

            long killed = System.nanoTime();
            cli.destroyForcibly(); // SIGKILL reaches a stopped process too
            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long deadline = killed + Duration.ofSeconds(20).toNanos();
            while (!ToolProcesses.basebackups(archive()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(25);
            }
            assertThat(ToolProcesses.basebackups(archive())).as("what still runs of the launch 20 s after the console was killed").isEmpty();
            System.out.printf("nothing of the launch ran %d ms after the stopped console was killed%n", (System.nanoTime() - killed) / 1_000_000);
            assertServerHasNoBackupConnections();
            assertThat(ArchiveLock.holders(layout())).isEmpty();
        } finally {
            Files.deleteIfExists(bin.resolve("setsid"));
            Files.deleteIfExists(bin);
        }
    }

    @Test
    void passwordInTheConsolesEnvironmentNeverReachesPgBasebackup() throws Exception {
        String secret = "s3cret-" + System.nanoTime();
        Process cli = startBackup("pgpassword", Map.of("PGPASSWORD", secret));
        ToolProcesses.Found main = awaitStreaming(cli);
        assertThat(ToolProcesses.environment(cli.pid())).as("the test set it for the console").contains("PGPASSWORD=" + secret);

        for (ToolProcesses.Found f : ToolProcesses.basebackups(archive())) {
            assertThat(ToolProcesses.environment(f.pid())).noneMatch(e -> e.startsWith("PGPASSWORD=") || e.contains(secret));
        }
        assertThat(main.processGroup()).as("pg_basebackup leads a process group of its own").isEqualTo(main.pid());

        cli.destroy(); // SIGTERM, as a closing terminal or a service manager sends
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ToolProcesses.basebackups(archive())).isEmpty();
        assertThat(newest().status()).isEqualTo(BackupStatus.FAILED);
        assertServerHasNoBackupConnections();
    }
}
