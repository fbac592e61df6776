package io.pitrconsole.core;

/**
 * What the user can do about a failure or a finding, in the words of the front end that shows it:
 * the command line names its verbs and flags ("run 'backup verify'"), the console its pages and
 * buttons ("click Verify on the Backups page"). Written once, where the failure is found, so
 * neither front end has to guess what the other meant.
 */
public record Hint(String commandLine, String console) {
    public Hint {
        commandLine = commandLine == null ? "" : commandLine;
        console = console == null ? commandLine : console;
    }

    /** A hint that names no command and no page, so it reads the same everywhere. */
    public static Hint same(String text) {
        return new Hint(text, text);
    }

    /** A hint worded for each front end. */
    public static Hint of(String commandLine, String console) {
        return new Hint(commandLine, console);
    }
}
