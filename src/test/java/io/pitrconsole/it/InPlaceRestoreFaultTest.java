package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kills (SIGKILL) in-place restores of a real cluster at random points, then kills the rollback
 * at a random point too, then rolls back again: production's data must come through every round
 * intact and running. One small cluster serves every round.
 */
class InPlaceRestoreFaultTest {
    private static final int ROUNDS = 20;
    private static final List<String> KILL_POINTS = List.of("pre-checks ...", "stop server ...", "move data directory aside ...",
            "extract backup ...", "write recovery settings ...", "start server ...", "recover to target ...", "verify ...");
    /** Steps a rollback writes into the journal; "" kills it at a random delay after it started. */
    private static final List<String> ROLLBACK_POINTS = List.of("", "rollback: stop restored server", "rollback: put back",
            "rollback: start server");

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("autovacuum", "off"));

    static InPlaceCrashKit kit;

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        kit = new InPlaceCrashKit(c);
        c.sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 5000) g");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()).withCompression(Compression.NONE), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(5001, 6000) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    /** The last step the killed restore had begun, from what it printed. */
    private static String lastStep(Path out) {
        List<String> begun = InPlaceCrashKit.read(out).lines().filter(l -> l.endsWith(" ...")).toList();
        return begun.isEmpty() ? "before the first step" : "last began: " + begun.get(begun.size() - 1);
    }

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void killedRestoresAndKilledRollbacksNeverLoseProductionsData() throws Exception {
        long seed = Long.getLong("faultSeed", System.nanoTime());
        Random random = new Random(seed);
        Path dataDir = pg.cluster().dataDir();
        int restores = 0;
        int rollbacks = 0;
        int killedRollbacks = 0;
        List<String> lost = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int round = 1; round <= ROUNDS && lost.isEmpty(); round++) {
            InPlaceCrashKit.Fingerprint before = kit.fingerprint("t");
            String point = KILL_POINTS.get(random.nextInt(KILL_POINTS.size()));
            long extraMillis = random.nextInt(400);
            Path out = pg.cluster().baseDir().resolve("round-" + round + ".out");

            Process restore = kit.inPlaceRestore(out);
            InPlaceCrashKit.awaitOutput(restore, out, point, Duration.ofSeconds(120));
            Thread.sleep(extraMillis); // a random point inside the step, not a wait for a state
            restore.destroyForcibly();
            assertThat(restore.waitFor(60, TimeUnit.SECONDS)).isTrue();
            restores++;

            String rollbackPoint = ROLLBACK_POINTS.get(random.nextInt(ROLLBACK_POINTS.size()));
            long rollbackMillis = rollbackPoint.isEmpty() ? random.nextInt(3000) : random.nextInt(150);
            Path rbOut = pg.cluster().baseDir().resolve("round-" + round + "-rollback.out");
            Process rollback = kit.cli(rbOut, "restore", "rollback", "--data-dir", dataDir.toString());
            Path journal = dataDir.resolveSibling(dataDir.getFileName() + ".pitr-journal.json");
            InPlaceCrashKit.waitUntil("rollback at '" + rollbackPoint + "'",
                    () -> !rollback.isAlive() || InPlaceCrashKit.read(journal).contains(rollbackPoint), Duration.ofSeconds(120));
            rollback.waitFor(rollbackMillis, TimeUnit.MILLISECONDS);
            rollback.destroyForcibly();
            assertThat(rollback.waitFor(60, TimeUnit.SECONDS)).isTrue();
            rollbacks++;

            CliRunner.Result again = CliRunner.run(Map.of(), "restore", "rollback", "--data-dir", dataDir.toString(),
                    "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres");
            String where = "round " + round + " (seed " + seed + ", restore killed " + extraMillis + " ms into '" + point + "', rollback killed "
                    + rollbackMillis + " ms after '" + rollbackPoint + "'): ";
            boolean nothingLeft = again.exit() != 0 && again.err().contains("no completed in-place restore to roll back");
            if (again.exit() != 0 && !nothingLeft) {
                lost.add(where + "rollback failed: " + again.err() + "\nrestore printed:\n" + InPlaceCrashKit.read(out)
                        + "\nkilled rollback printed:\n" + InPlaceCrashKit.read(rbOut));
                break;
            }
            boolean rollbackKilled = rollback.exitValue() == 137; // 128 + SIGKILL
            killedRollbacks += rollbackKilled ? 1 : 0;
            System.out.printf("round %d: restore killed %d ms into '%s' (%s), rollback killed %d ms after '%s' (%s), then %s%n", round,
                    extraMillis, point, lastStep(out), rollbackMillis, rollbackPoint, rollbackKilled ? "killed" : "had ended",
                    nothingLeft ? "nothing left to roll back" : "rolled back");
            if (!kit.serverRunning()) {
                lost.add(where + "production's server is not running");
                break;
            }
            InPlaceCrashKit.Fingerprint after = kit.fingerprint("t");
            if (!after.equals(before)) {
                lost.add(where + "production changed: " + before + " -> " + after);
            }
            if (!kit.strays().isEmpty()) {
                lost.add(where + "left behind " + kit.strays());
            }
        }
        System.out.printf("fault rounds: in-place restore %d run, %d lost data; rollback %d run (%d killed before they ended), %d lost data"
                + " (%.0f s, seed %d)%n", restores, lost.size(), rollbacks, killedRollbacks, lost.size(), (System.nanoTime() - t0) / 1e9, seed);
        assertThat(lost).isEmpty();
        assertThat(restores).isEqualTo(ROUNDS);
    }
}
