package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.backup.BackupOutcome;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.ArchiveLock;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A backup that is interrupted, or whose process dies, never looks complete. */
class BackupInterruptionTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @BeforeAll
    static void data() {
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 100000) g");
    }

    private ArchiveLayout layout() {
        return new ArchiveLayout(pg.cluster().archiveDir());
    }

    private BackupService service() {
        return new BackupService(LocalDirectoryRepository.at(layout().root()), pg.cluster().pgContext());
    }

    @Test
    void killedCliBackupIsMarkedFailedAndLeavesNoPartialFiles() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main", "backup", "create",
                "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()),
                "-U", "postgres", "--max-rate", "256k"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(pg.cluster().baseDir().resolve("cli.out").toFile()).start();
        Path running = waitForRunningBackup(Duration.ofSeconds(60));
        Path incoming = running.resolve(".incoming");
        waitUntil(() -> Files.exists(incoming) && sizeOf(incoming) > 0, Duration.ofSeconds(60));

        p.destroy(); // SIGTERM, as a kill or a closing terminal sends; runs the same path as Ctrl-C
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        BackupRecord r = Json.mapper().readValue(running.resolve("backup.json").toFile(), BackupRecord.class);
        assertThat(r.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(r.error()).contains("interrupted");
        try (Stream<Path> left = Files.list(running)) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactly("backup.json");
        }
        assertThat(layout().lockFile()).doesNotExist();
        assertThat(ArchiveLock.holders(layout())).isEmpty();
        assertThat(service().list().stream().filter(e -> e.id().equals(r.id())).findFirst().orElseThrow()
                .record().orElseThrow().status()).isEqualTo(BackupStatus.FAILED);
    }

    @Test
    void cancelledBackupInProcessIsFailedToo() throws Exception {
        Cancellation c = new Cancellation();
        Thread canceller = new Thread(() -> {
            try {
                waitForRunningBackup(Duration.ofSeconds(60));
                Thread.sleep(500);
            } catch (Exception ignored) {
                // cancel anyway
            }
            c.cancel();
        });
        canceller.start();
        assertThatThrownBy(() -> service().create(BackupRequest.defaults(pg.cluster().connection()).withMaxRate("256k"),
                ProgressListener.NONE, c)).isInstanceOf(Cancellation.CancelledException.class);
        canceller.join();
        assertThat(service().list().stream().flatMap(e -> e.record().stream()).noneMatch(r -> r.status() == BackupStatus.RUNNING)).isTrue();
        assertThat(new io.pitrconsole.archive.BackupCatalog(LocalDirectoryRepository.at(layout().root())).records()).noneMatch(r -> r.status() == BackupStatus.RUNNING);
        assertThat(layout().lockFile()).doesNotExist();
        assertThat(ArchiveLock.holders(layout())).isEmpty();
    }

    @Test
    void staleLockAndOrphanedRunningBackupFromADeadProcessAreReportedAndCleanedUp() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.createDirectories(layout().stateDir());
        Files.writeString(layout().lockFile(), "{\"pid\":" + dead.pid() + ",\"host\":\"" + java.net.InetAddress.getLocalHost().getHostName()
                + "\",\"operation\":\"backup create\",\"since\":\"2026-01-01T00:00:00Z\"}");
        String orphan = "backup_20000101_000000";
        Path orphanDir = layout().backupDir(orphan);
        Files.createDirectories(orphanDir.resolve(".incoming"));
        Files.writeString(orphanDir.resolve(".incoming/base.tar.zst"), "partial");
        Files.writeString(orphanDir.resolve("backup.json"), "{\"formatVersion\":1,\"id\":\"" + orphan
                + "\",\"status\":\"running\",\"compression\":\"zstd\",\"sizeBytes\":0,\"originalSizeBytes\":0,\"port\":5432}");
        assertThat(service().list().stream().filter(e -> e.id().equals(orphan)).findFirst().orElseThrow()
                .record().orElseThrow().status()).as("listed as failed while nobody holds the lock").isEqualTo(BackupStatus.FAILED);

        BackupOutcome outcome = service().create(BackupRequest.defaults(pg.cluster().connection()), ProgressListener.NONE, new Cancellation());

        assertThat(outcome.backup().status()).isEqualTo(BackupStatus.COMPLETE);
        assertThat(outcome.notices()).anySatisfy(n -> assertThat(n).contains("stale archive lock").contains(String.valueOf(dead.pid())));
        assertThat(outcome.notices()).anySatisfy(n -> assertThat(n).contains(orphan));
        assertThat(service().get(orphan).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(orphanDir.resolve(".incoming")).doesNotExist();
    }

    @Test
    void liveLockMakesASecondBackupWaitItsTurnWithAClearMessage() throws Exception {
        try (ArchiveLock held = ArchiveLock.acquire(layout(), LockUse.BACKUP, "backup create")) {
            assertThatThrownBy(() -> service().create(BackupRequest.defaults(pg.cluster().connection()), ProgressListener.NONE, new Cancellation()))
                    .isInstanceOf(PitrException.class)
                    .hasMessageContaining("archive is busy")
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("wait"));
        }
    }

    private Path waitForRunningBackup(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> dirs = Files.list(pg.cluster().archiveDir())) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    Path json = d.resolve("backup.json");
                    if (Files.exists(json) && Files.readString(json).contains("\"running\"") && !d.getFileName().toString().equals("backup_20000101_000000")) {
                        return d;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no running backup appeared");
    }

    private static long sizeOf(Path dir) {
        try {
            return io.pitrconsole.core.FileTrees.size(dir);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }

}
