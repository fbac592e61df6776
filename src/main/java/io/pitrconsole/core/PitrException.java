package io.pitrconsole.core;

/**
 * A failure the user can act on: a one-line message saying what went wrong and a hint saying what
 * to do about it. Everything shown to a user as an error is one of these; anything else is a bug.
 */
public class PitrException extends RuntimeException {
    private final Hint hint;

    public PitrException(String message, String hint) {
        this(message, Hint.same(hint));
    }

    public PitrException(String message, String hint, Throwable cause) {
        this(message, Hint.same(hint), cause);
    }

    public PitrException(String message, Hint hint) {
        super(message);
        this.hint = hint == null ? Hint.same("") : hint;
    }

    public PitrException(String message, Hint hint, Throwable cause) {
        super(message, cause);
        this.hint = hint == null ? Hint.same("") : hint;
    }

    /** What the user can do about it, in command-line words; may be empty, never null. */
    public String hint() {
        return hint.commandLine();
    }

    /** What the user can do about it, in the console's words (its pages and buttons); may be empty, never null. */
    public String consoleHint() {
        return hint.console();
    }
}
