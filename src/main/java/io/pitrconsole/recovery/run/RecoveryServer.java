package io.pitrconsole.recovery.run;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ToolCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The server started on a restored data directory. pg_ctl is told not to wait: recovery can take
 * hours, and the server log (not pg_ctl's timeout) says when the target is reached or missed.
 */
final class RecoveryServer {
    private final PgInstallation installation;
    private final PgToolRunner runner;
    private final ClusterControl control;
    private final Path dataDir;
    private final Path logFile;
    private boolean started;
    private ServerLogFollower follower;

    RecoveryServer(PgInstallation installation, PgToolRunner runner, Path dataDir, Path logFile) {
        this.installation = installation;
        this.runner = runner;
        this.control = new ClusterControl(installation, runner);
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts postgres in the background; the log is followed from the moment before the start. */
    void start(Cancellation cancel) {
        follower = new ServerLogFollower(logFile);
        runner.run(new ToolCommand(installation.tool("pg_ctl"),
                List.of("-D", dataDir.toString(), "-l", logFile.toString(), "-W", "start"), Map.of(), true, Optional.empty()),
                cancel, l -> { });
        started = true;
    }

    /** Follows the log until recovery ends one way or the other. */
    RecoveryOutcome follow(Duration timeout, Cancellation cancel, IntConsumer segmentsRestored, Consumer<String> logLines) {
        return follower.await(timeout, cancel, () -> control.isRunning(dataDir), segmentsRestored, logLines);
    }

    boolean started() {
        return started;
    }

    ClusterControl control() {
        return control;
    }

    boolean isRunning() {
        return control.isRunning(dataDir);
    }

    /** Stops the server if one runs on the directory; immediate for throw-away copies. */
    void stopIfRunning(String mode) {
        if (java.nio.file.Files.exists(dataDir.resolve("postmaster.pid")) && isRunning()) {
            control.stop(dataDir, mode);
        }
    }
}
