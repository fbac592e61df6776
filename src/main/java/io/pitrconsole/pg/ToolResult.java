package io.pitrconsole.pg;

import java.util.List;

/** What a finished PostgreSQL program left behind: exit code, standard output, last stderr lines. */
public record ToolResult(int exitCode, String stdout, List<String> stderrTail) {
    public ToolResult {
        stderrTail = List.copyOf(stderrTail);
    }
}
