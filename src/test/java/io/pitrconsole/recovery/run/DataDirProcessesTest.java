package io.pitrconsole.recovery.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes working inside a data directory, told by their working directory as a server's children are. */
class DataDirProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aProcessInsideTheDirectoryIsWaitedForUntilItIsGone() throws Exception {
        Process inside = new ProcessBuilder("sleep", "30").directory(dir.toFile()).start();
        try {
            assertFalse(new DataDirProcesses(dir).awaitAllGone(Duration.ofMillis(300)), "it still works there");
        } finally {
            inside.destroyForcibly();
            inside.waitFor();
        }
        Process brief = new ProcessBuilder("sleep", "0.5").directory(dir.toFile()).start();
        assertTrue(new DataDirProcesses(dir).awaitAllGone(Duration.ofSeconds(20)), "gone within the wait");
        assertFalse(brief.isAlive());
    }
}
