package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.ArchiveLock;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kills `backup create` at random moments, in turn by SIGKILL of the console, SIGKILL of
 * pg_basebackup and SIGTERM of the console, and checks after each round what a DBA relies on:
 * no process of the backup runs on, the server keeps no walsender or replication slot for it,
 * the archive is not locked, and every backup that says it is complete verifies, the earlier
 * ones included. Set -DfaultSeed=N to replay a run.
 */
class BackupCreateFaultTest {
    private static final int ROUNDS = 20;

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private enum Fault { KILL_CONSOLE, KILL_BASEBACKUP, TERM_CONSOLE }

    private static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void data() {
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
    }

    @AfterAll
    static void noLeftovers() {
        started.forEach(Process::destroyForcibly);
        ToolProcesses.basebackups(pg.cluster().archiveDir()).forEach(f -> ProcessHandle.of(f.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static ArchiveLayout layout() {
        return new ArchiveLayout(pg.cluster().archiveDir());
    }

    private static BackupService service() {
        return new BackupService(LocalDirectoryRepository.at(layout().root()), pg.cluster().pgContext());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void backupCreateKilledAtRandomMomentsLeavesNoProcessNoLockAndNoFalseCompleteBackup() throws Exception {
        long seed = Long.getLong("faultSeed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("fault seed: " + seed);
        long began = System.nanoTime();
        int lost = 0;
        int completed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Fault fault = Fault.values()[round % Fault.values().length];
            String name = "round-" + round;
            Process cli = ToolProcesses.startCli(pg.cluster().baseDir().resolve(name + ".out"), Map.of(), "backup", "create",
                    "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()),
                    "-U", "postgres", "--max-rate", "8M", "--history-wait", "5");
            started.add(cli);
            long delay;
            boolean basebackupKilled = false;
            if (fault == Fault.KILL_BASEBACKUP) {
                ToolProcesses.waitUntil("pg_basebackup started", Duration.ofSeconds(60),
                        () -> !cli.isAlive() || ToolProcesses.mainBasebackup(pg.cluster().archiveDir()).isPresent());
                delay = random.nextInt(2500);
                Thread.sleep(delay); // the random moment of the fault, not a wait for a state
                var main = ToolProcesses.mainBasebackup(pg.cluster().archiveDir());
                basebackupKilled = main.flatMap(f -> ProcessHandle.of(f.pid())).map(ProcessHandle::destroyForcibly).orElse(false);
            } else {
                delay = random.nextInt(8000);
                cli.waitFor(delay, TimeUnit.MILLISECONDS); // the random moment of the fault; the backup may finish first
                if (fault == Fault.KILL_CONSOLE) {
                    cli.destroyForcibly();
                } else {
                    cli.destroy();
                }
            }
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as(name + ": backup create exits").isTrue();
            String output = Files.readString(pg.cluster().baseDir().resolve(name + ".out"));

            ToolProcesses.waitUntil(name + ": pg_basebackup and its streamer gone", Duration.ofSeconds(20),
                    () -> ToolProcesses.basebackups(pg.cluster().archiveDir()).isEmpty());
            ToolProcesses.waitUntil(name + ": walsenders and replication slots gone", Duration.ofSeconds(30),
                    () -> "0".equals(pg.cluster().queryOne("SELECT count(*) FROM pg_stat_replication"))
                            && "0".equals(pg.cluster().queryOne("SELECT count(*) FROM pg_replication_slots")));
            assertThat(ArchiveLock.holders(layout())).as(name + ": archive lock free").isEmpty();
            List<BackupRecord> records = new BackupCatalog(LocalDirectoryRepository.at(layout().root())).records();
            if (fault != Fault.KILL_CONSOLE) {
                // the console lived to clean up after itself: nothing may still claim to run
                assertThat(records).as(name + ": " + output).noneMatch(r -> r.status() == BackupStatus.RUNNING);
            }
            if (cli.exitValue() == 0) {
                assertThat(output).as(name).contains(" complete");
            } else if (basebackupKilled && output.contains("killed by signal")) {
                assertThat(output).as(name).contains("hint: ").doesNotContain("\tat ");
                assertThat(records.stream().max(Comparator.comparing(BackupRecord::id)).orElseThrow().status())
                        .as(name).isEqualTo(BackupStatus.FAILED);
            }
            int usable = 0;
            for (BackupRecord r : records) {
                if (r.status().usable()) {
                    usable++;
                    VerifyReport report = service().verify(r.id(), ProgressListener.NONE, new Cancellation());
                    if (!report.ok()) {
                        lost++;
                        System.out.println(name + ": backup " + r.id() + " says " + r.status().label() + " but does not verify: " + report.problems());
                    }
                }
            }
            completed = usable;
            System.out.printf("%s: %s after %d ms, exit %d, %d complete backups verify%n", name, fault, delay, cli.exitValue(), usable);
        }

        CliRunner.Result last = CliRunner.run(Map.of(), "backup", "create", "--archive", pg.cluster().archiveDir().toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--history-wait", "5", "--json");
        assertThat(last.exit()).as(last.err()).isZero();
        BackupRecord newest = new BackupCatalog(LocalDirectoryRepository.at(layout().root())).records().stream().max(Comparator.comparing(BackupRecord::id)).orElseThrow();
        assertThat(newest.status()).isEqualTo(BackupStatus.COMPLETE);
        assertThat(service().verify(newest.id(), ProgressListener.NONE, new Cancellation()).ok()).isTrue();
        assertThat(new BackupCatalog(LocalDirectoryRepository.at(layout().root())).records()).as("the interrupted ones were swept").noneMatch(r -> r.status() == BackupStatus.RUNNING);
        System.out.printf("fault rounds: backup create %d run, %d lost data (%d complete backups before the last, %d s)%n",
                ROUNDS, lost, completed, Duration.ofNanos(System.nanoTime() - began).toSeconds());
        assertThat(lost).isZero();
    }
}
