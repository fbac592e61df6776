package io.pitrconsole.pg;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** pg_ctl and initdb for a data directory, run as the server's OS user. */
public final class ClusterControl {
    private final PgInstallation installation;
    private final PgToolRunner runner;

    public ClusterControl(PgInstallation installation, PgToolRunner runner) {
        this.installation = installation;
        this.runner = runner;
    }

    /** Creates a new cluster with trust authentication for the given superuser. */
    public void initdb(Path dataDir, String superuser, List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of("-D", dataDir.toString(), "-U", superuser, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync"));
        args.addAll(extraArgs);
        runner.run(new ToolCommand(installation.tool("initdb"), args, java.util.Map.of(), true, java.util.Optional.empty()));
    }

    /** Starts the server and waits until it accepts connections (pg_ctl -w). */
    public void start(Path dataDir, Path logFile, int timeoutSeconds) {
        runner.run(new ToolCommand(installation.tool("pg_ctl"),
                List.of("-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", String.valueOf(timeoutSeconds), "start"),
                java.util.Map.of(), true, java.util.Optional.empty()), Cancellation.none(), l -> { });
    }

    /** Stops the server; mode is smart, fast or immediate. */
    public void stop(Path dataDir, String mode) {
        runner.run(new ToolCommand(installation.tool("pg_ctl"),
                List.of("-D", dataDir.toString(), "-m", mode, "-w", "-t", "60", "stop"),
                java.util.Map.of(), true, java.util.Optional.empty()));
    }

    /** Restarts a running server (fast shutdown) and waits until it accepts connections again. */
    public void restart(Path dataDir, Path logFile, int timeoutSeconds) {
        runner.run(new ToolCommand(installation.tool("pg_ctl"),
                List.of("-D", dataDir.toString(), "-l", logFile.toString(), "-m", "fast", "-w", "-t", String.valueOf(timeoutSeconds),
                        "restart"),
                java.util.Map.of(), true, java.util.Optional.empty()), Cancellation.none(), l -> { });
    }

    /** True when a server is running on the data directory. */
    public boolean isRunning(Path dataDir) {
        ToolResult r = runner.runAllowingFailure(new ToolCommand(installation.tool("pg_ctl"),
                List.of("-D", dataDir.toString(), "status"), java.util.Map.of(), true, java.util.Optional.empty()),
                Cancellation.none(), l -> { });
        return switch (r.exitCode()) {
            case 0 -> true;
            case 3 -> false;
            case 4 -> throw new PitrException("no usable data directory at " + dataDir, "check the path given as data directory");
            default -> false;
        };
    }
}
