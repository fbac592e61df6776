package io.pitrconsole.repository.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.repository.LockUse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Separate processes racing for the archive lock, with dead processes' lock files lying there: never two holders. */
class ArchiveLockRaceTest {
    static final int CONTENDERS = 4;
    static final int ROUNDS = 20;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void fourProcessesOnAStaleLockNeverGiveTwoHolders() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        Path coord = Files.createDirectories(tmp.resolve("coord"));
        ArchiveLayout layout = new ArchiveLayout(archive);
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        List<Process> contenders = new ArrayList<>();
        for (int i = 0; i < CONTENDERS; i++) {
            contenders.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LockContender.class.getName(),
                    archive.toString(), coord.toString(), "c" + i, String.valueOf(ROUNDS))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("contender-" + i + ".out").toFile()).start());
        }
        List<Integer> holdersPerRound = new ArrayList<>();
        try {
            for (int r = 0; r < ROUNDS; r++) {
                // what a process killed while holding the lock leaves behind (the previous version's format)
                Files.createDirectories(layout.stateDir());
                Files.writeString(layout.lockFile(), "{\"pid\":" + dead.pid() + ",\"host\":\"" + InetAddress.getLocalHost().getHostName()
                        + "\",\"operation\":\"backup create\",\"since\":\"2026-01-01T00:00:00Z\"}");
                // and what one of this version leaves when killed: its file, with no process holding its lock
                Files.createDirectories(layout.lockDir());
                Files.writeString(layout.lockDir().resolve(new LockName(LockUse.BACKUP, dead.pid(), 0, System.currentTimeMillis() - 60_000,
                        "killed" + r).base() + LockName.HELD), "{}");
                awaitCount(coord, "ready-" + r + "-", CONTENDERS, contenders);
                Files.writeString(coord.resolve("go-" + r), "");
                awaitCount(coord, "held-" + r + "-", "busy-" + r + "-", CONTENDERS, contenders);
                holdersPerRound.add(count(coord, "held-" + r + "-"));
                Files.writeString(coord.resolve("end-" + r), "");
                awaitCount(coord, "released-" + r + "-", CONTENDERS, contenders);
            }
        } finally {
            contenders.forEach(Process::destroyForcibly);
        }
        try (Stream<Path> left = Files.list(layout.lockDir())) {
            assertThat(left).as("every left-over lock was removed").isEmpty();
        }
        assertThat(holdersPerRound).as("holders in each of %d rounds", ROUNDS).hasSize(ROUNDS).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(holdersPerRound.stream().filter(n -> n == 1).count()).as("rounds someone got the lock").isGreaterThanOrEqualTo(ROUNDS / 2);
    }

    private static void awaitCount(Path coord, String prefix, int n, List<Process> contenders) throws Exception {
        awaitCount(coord, prefix, prefix, n, contenders);
    }

    /** Waits until n files start with either prefix; fails early when a contender died. */
    private static void awaitCount(Path coord, String prefix, String orPrefix, int n, List<Process> contenders) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(coord, prefix) + (prefix.equals(orPrefix) ? 0 : count(coord, orPrefix)) < n) {
            assertThat(contenders).as("every contender still runs").allMatch(Process::isAlive);
            assertThat(System.nanoTime()).as("waiting for " + prefix).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static int count(Path coord, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(coord)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
