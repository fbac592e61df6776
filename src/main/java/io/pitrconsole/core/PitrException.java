package io.pitrconsole.core;

/**
 * A failure the user can act on: a one-line message saying what went wrong and a hint saying what
 * to do about it. Everything shown to a user as an error is one of these; anything else is a bug.
 */
public class PitrException extends RuntimeException {
    private final String hint;

    public PitrException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public PitrException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user can do about it; may be empty, never null. */
    public String hint() {
        return hint == null ? "" : hint;
    }
}
