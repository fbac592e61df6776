package io.pitrconsole.repository.local;

import io.pitrconsole.repository.LockUse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate process that takes part in lock races: for each round it says it is ready, waits for
 * the go, tries to take the archive lock, says whether it got it, and keeps it until the round ends.
 * Arguments: archive directory, coordination directory, contender id, rounds.
 */
public final class LockContender {
    private LockContender() {
    }

    public static void main(String[] args) throws Exception {
        ArchiveLayout layout = new ArchiveLayout(Path.of(args[0]));
        Path coord = Path.of(args[1]);
        String id = args[2];
        int rounds = Integer.parseInt(args[3]);
        for (int r = 0; r < rounds; r++) {
            Files.writeString(coord.resolve("ready-" + r + "-" + id), "");
            await(coord.resolve("go-" + r));
            ArchiveLock lock = null;
            try {
                lock = ArchiveLock.acquire(layout, LockUse.BACKUP, "backup create");
                Files.writeString(coord.resolve("held-" + r + "-" + id), "");
            } catch (RuntimeException e) {
                Files.writeString(coord.resolve("busy-" + r + "-" + id), String.valueOf(e.getMessage()));
            }
            await(coord.resolve("end-" + r));
            if (lock != null) {
                lock.close();
            }
            Files.writeString(coord.resolve("released-" + r + "-" + id), "");
        }
    }

    /** Waits for the file the test creates; gives up after a minute so an orphaned contender ends. */
    private static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                System.exit(3);
            }
            Thread.sleep(2);
        }
    }
}
