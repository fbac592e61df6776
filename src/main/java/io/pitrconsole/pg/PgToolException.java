package io.pitrconsole.pg;

import io.pitrconsole.core.PitrException;
import java.util.List;

/** A PostgreSQL program failed; carries its exit code and last stderr lines for the log. */
public class PgToolException extends PitrException {
    private final int exitCode;
    private final List<String> stderrTail;

    public PgToolException(String message, String hint, int exitCode, List<String> stderrTail) {
        super(message, hint);
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> stderrTail() {
        return stderrTail;
    }
}
