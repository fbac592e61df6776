package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.ArchiveLock;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.CleanupService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restore holds the archive against cleanup, and cleanup against restores: two real backups B1 &lt; B2,
 * B1 aged so retention removes it and the WAL before B2, and restores from B1 to the latest WAL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreHoldsArchiveTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static String older;
    static String newer;

    @BeforeAll
    static void twoBackupsWithWalAfterBoth() throws Exception {
        PgTestCluster c = pg.cluster();
        BackupService backups = new BackupService(LocalDirectoryRepository.at(layout().root()), c.pgContext());
        c.sql("CREATE TABLE t (id int, batch int)");
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 1000) g");
        older = backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup().id();
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 1000) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 1000) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        newer = backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup().id();
        c.sql("INSERT INTO t SELECT g, 4 FROM generate_series(1, 1000) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        age(older, Duration.ofDays(3));
        Files.writeString(layout().scheduleFile(), "{\"backup\": {\"enabled\": true, \"frequency\": \"daily\", \"time\": \"02:00\"},"
                + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                + " \"retention\": {\"daily\": 1, \"weekly\": 0, \"monthly\": 0}, \"max_total_size_gb\": 100, \"alert_after_hours\": 24}");
        var plan = new CleanupService(LocalDirectoryRepository.at(layout().root()), ZoneId.systemDefault()).plan();
        assertThat(plan.backups()).as("the cleanup this test fends off").extracting(r -> r.name()).containsExactly(older);
        assertThat(plan.wal()).as("WAL a restore from the older backup replays").isNotEmpty();
    }

    static ArchiveLayout layout() {
        return new ArchiveLayout(pg.cluster().archiveDir());
    }

    private static RestoreService restores() {
        return new RestoreService(LocalDirectoryRepository.at(layout().root()), pg.cluster().pgContext());
    }

    /** Moves a backup back by days in its backup.json, as a scheduled archive would have it; its files stay real. */
    private static void age(String id, Duration by) throws Exception {
        Path file = layout().backupJson(id);
        ObjectNode n = (ObjectNode) Json.mapper().readTree(file.toFile());
        n.put("startTime", Instant.parse(n.get("startTime").asText()).minus(by).toString());
        n.put("stopTime", Instant.parse(n.get("stopTime").asText()).minus(by).toString());
        Files.write(file, Json.mapper().writeValueAsBytes(n));
    }

    /** Every backup directory and WAL file, to show that nothing went. */
    private static List<String> archiveContents() throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(pg.cluster().archiveDir())) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup_")).sorted().forEach(out::add);
        }
        try (Stream<Path> s = Files.list(pg.cluster().walArchive())) {
            s.map(p -> "wal_archive/" + p.getFileName()).sorted().forEach(out::add);
        }
        return out;
    }

    private static String[] cli(String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", pg.cluster().archiveDir().toString(), "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    /** Runs a restore in the background that stops at the extract step until let go. */
    private static final class PausedRestore {
        final CountDownLatch atExtract = new CountDownLatch(1);
        final CountDownLatch goOn = new CountDownLatch(1);
        final CompletableFuture<RestoreReport> report;

        PausedRestore(RestoreRequest request) throws InterruptedException {
            RestoreListener listener = new RestoreListener() {
                @Override
                public void stepStarted(String step) {
                    if (step.startsWith("extract")) {
                        atExtract.countDown();
                        try {
                            goOn.await(5, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            report = CompletableFuture.supplyAsync(() -> restores().run(request, listener, Cancellation.none()));
            boolean paused = atExtract.await(3, TimeUnit.MINUTES);
            assertThat(paused).as("the restore reached its extract step").isTrue();
        }

        RestoreReport finish() throws Exception {
            goOn.countDown();
            return report.get(5, TimeUnit.MINUTES);
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void cleanupAndBackupDeleteAreRefusedWhileARehearsalExtractsAndRemoveNothing() throws Exception {
        List<String> before = archiveContents();
        PausedRestore restore = new PausedRestore(RestoreRequest.rehearsal(RecoveryTarget.latest()).fromBackup(older));
        try {
            CliRunner.Result here = CliRunner.run(Map.of(), cli("cleanup", "--yes"));
            assertThat(here.exit()).as(here.out()).isNotZero();
            assertThat(here.err()).contains("the archive is busy: restore").contains("wait for the restore to finish");
            assertThat(here.noStackTrace()).as(here.err()).isTrue();
            CliRunner.Result delete = CliRunner.run(Map.of(), cli("backup", "delete", older, "--yes"));
            assertThat(delete.exit()).as(delete.out()).isNotZero();
            assertThat(delete.err()).contains("the archive is busy: restore").contains("wait for the restore to finish");
            assertThat(archiveContents()).as("nothing removed").containsAll(before);
        } finally {
            RestoreReport r = restore.finish();
            assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
            assertThat(r.rowCounts()).containsEntry("public.t", 4000L);
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void cleanupInAnotherProcessIsRefusedWhileAnInPlaceRestoreExtracts() throws Exception {
        String rows = pg.cluster().queryOne("SELECT count(*) FROM t");
        List<String> before = archiveContents();
        PausedRestore restore = new PausedRestore(RestoreRequest.inPlace(RecoveryTarget.latest(), pg.cluster().dataDir())
                .connectingWith(pg.cluster().connection()).fromBackup(older));
        try {
            CliRunner.Result other = ArchiveLockHolder.runCli(pg.cluster().baseDir(), cli("cleanup", "--yes"));
            assertThat(other.exit()).as(other.out()).isNotZero();
            assertThat(other.out()).contains("the archive is busy: restore").contains("wait for the restore to finish");
            assertThat(archiveContents()).as("nothing removed").containsAll(before);
        } finally {
            RestoreReport r = restore.finish();
            assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        }
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).as("production after the restore to the latest WAL").isEqualTo(rows);
    }

    @Test
    @Order(3)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRestoreIsRefusedWhileACleanupRunsInAnotherProcess() throws Exception {
        int reports = restores().history().size();
        Process cleanup = ArchiveLockHolder.start(pg.cluster().archiveDir(), LockUse.CLEANUP, pg.cluster().baseDir());
        try {
            CliRunner.Result r = CliRunner.run(Map.of(), cli("restore", "run", "--latest", "--backup", older, "--rehearsal"));
            assertThat(r.exit()).as(r.out()).isNotZero();
            assertThat(r.err()).contains("the archive is busy: cleanup by process " + cleanup.pid())
                    .contains("wait for the cleanup to finish, then plan the restore again");
            assertThat(r.noStackTrace()).as(r.err()).isTrue();
            assertThat(restores().history()).as("no restore started").hasSize(reports);
        } finally {
            cleanup.getOutputStream().close();
            assertThat(cleanup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Order(4)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aCleanupKilledWithSigkillHoldsNothingAndTheNextCleanupRunsAtOnce() throws Exception {
        Process killed = ArchiveLockHolder.start(pg.cluster().archiveDir(), LockUse.CLEANUP, pg.cluster().baseDir());
        CliRunner.Result busy = CliRunner.run(Map.of(), cli("cleanup", "--yes"));
        assertThat(busy.err()).as("held while it runs").contains("the archive is busy: cleanup by process " + killed.pid());

        new ProcessBuilder("kill", "-9", String.valueOf(killed.pid())).start().waitFor();
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(ArchiveLock.holders(layout())).as("a killed process holds nothing").isEmpty();
        CliRunner.Result health = CliRunner.run(Map.of(), cli("health", "--no-server", "--json"));
        JsonNode lock = null;
        for (JsonNode check : Json.mapper().readTree(health.out()).get("checks")) {
            if (check.get("check").asText().equals("archive lock")) {
                lock = check;
            }
        }
        assertThat(lock).as(health.out()).isNotNull();
        assertThat(lock.get("detail").asText()).isEqualTo("free");

        CliRunner.Result cleanup = CliRunner.run(Map.of(), cli("cleanup", "--yes"));
        assertThat(cleanup.exit()).as(cleanup.err()).isZero();
        assertThat(layout().backupDir(older)).as("removed now that no restore holds the archive").doesNotExist();
        assertThat(layout().backupDir(newer)).isDirectory();
        assertThat(layout().lockDir()).isEmptyDirectory();
    }
}
