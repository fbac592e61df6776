package io.pitrconsole.recovery;

/** Follows a restore step by step; the CLI prints it, the GUI maps it to a task's progress. */
public interface RestoreListener {
    RestoreListener NONE = new RestoreListener() { };

    /** A step begins; steps run strictly one after another. */
    default void stepStarted(String step) {
    }

    /** Progress inside the current step; total is -1 when unknown. */
    default void progress(String step, long done, long total, String message) {
    }

    default void stepFinished(String step, double seconds) {
    }

    /** A line the restored server wrote to its log, while the restore waits for recovery to end. */
    default void serverLogLine(String line) {
    }
}
