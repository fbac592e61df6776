package io.pitrconsole.pg;

import io.pitrconsole.core.Cancellation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ServerShell} through the tool runner, which switches to the server's OS user when this tool runs as root. */
public final class ServerUserShell implements ServerShell {
    private final PgToolRunner runner;

    public ServerUserShell(PgToolRunner runner) {
        this.runner = runner;
    }

    @Override
    public String user() {
        return runner.serverUser().name();
    }

    @Override
    public boolean switchesUser() {
        return runner.serverUser().switchesUser();
    }

    @Override
    public Result run(String script, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("-c", script, "sh"));
        argv.addAll(args);
        ToolResult r = runner.runAllowingFailure(new ToolCommand(Path.of("/bin/sh"), argv, Map.of(), true, Optional.empty()),
                Cancellation.none(), l -> { });
        return new Result(r.exitCode(), r.stdout(), r.stderrTail());
    }
}
