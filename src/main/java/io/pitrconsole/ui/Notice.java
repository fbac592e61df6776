package io.pitrconsole.ui;

import io.pitrconsole.core.PitrException;
import java.time.Instant;

/** A message for the user: what happened and, for failures, what to do about it. */
public record Notice(Level level, String message, String hint, Instant at) {
    public enum Level { INFO, SUCCESS, WARNING, ERROR }

    public static Notice info(String message) {
        return new Notice(Level.INFO, message, "", Instant.now());
    }

    public static Notice success(String message) {
        return new Notice(Level.SUCCESS, message, "", Instant.now());
    }

    /** A failure as the user should read it: a PitrException's message and hint; anything else is a bug. */
    public static Notice failure(String what, Throwable error) {
        if (error instanceof PitrException p) {
            return new Notice(Level.ERROR, what + ": " + p.getMessage(), p.consoleHint(), Instant.now());
        }
        String detail = error == null ? "unknown error" : error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return new Notice(Level.ERROR, what + ": " + detail,
                "this is a bug in PITR Console; the log pane has the details", Instant.now());
    }
}
