package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower hands on the lines it reads, for the console's live log view. */
class ServerLogFollowerTest {
    @TempDir
    Path dir;

    @Test
    void everyLineWrittenAfterTheStartReachesTheSinkUntilTheServerIsReady() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "old line from an earlier start\n");
        ServerLogFollower follower = new ServerLogFollower(log);
        List<String> lines = List.of(
                "2026-11-25 10:00:00 UTC [1] LOG:  starting PostgreSQL 15",
                "2026-11-25 10:00:01 UTC [2] LOG:  restored log file \"000000010000000000000003\" from archive",
                "2026-11-25 10:00:02 UTC [2] LOG:  recovery stopping before commit of transaction 740, time 2026-11-25 09:59:00+00",
                "2026-11-25 10:00:03 UTC [1] LOG:  database system is ready to accept connections",
                "2026-11-25 10:00:04 UTC [1] LOG:  after the end");
        Files.writeString(log, String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
        List<String> seen = new ArrayList<>();

        RecoveryOutcome o = follower.await(Duration.ofSeconds(10), Cancellation.none(), () -> true, n -> { }, seen::add);

        assertThat(o.state()).isEqualTo(RecoveryOutcome.State.READY);
        assertThat(o.stoppingLine()).startsWith("LOG: recovery stopping before commit of transaction 740");
        assertThat(seen).containsExactlyElementsOf(lines.subList(0, 4));
    }
}
