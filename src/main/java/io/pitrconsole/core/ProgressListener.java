package io.pitrconsole.core;

/** Receives progress of a long operation; the GUI maps it to a Task, the CLI to a status line. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, message) -> { };

    /**
     * @param done  work done so far, in the operation's own unit
     * @param total total work, or -1 when unknown
     * @param message a short human description of the current step
     */
    void progress(long done, long total, String message);
}
