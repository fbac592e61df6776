package io.pitrconsole.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cancel switch handed to long operations. Ctrl-C in the CLI and the Cancel button in the GUI
 * both flip it; whoever runs a child process registers a callback that kills it.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel() {
        cancelled = true;
        callbacks.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Registers work to do on cancel; runs it at once when already cancelled. */
    public Runnable onCancel(Runnable callback) {
        callbacks.add(callback);
        if (cancelled) {
            callback.run();
        }
        return () -> callbacks.remove(callback);
    }

    public void throwIfCancelled(String what) {
        if (cancelled) {
            throw new CancelledException(what + " was cancelled");
        }
    }

    /** Thrown when the user cancelled; the operation cleaned up after itself. */
    public static final class CancelledException extends PitrException {
        public CancelledException(String message) {
            super(message, "nothing was left half-done; run the command again when ready");
        }
    }
}
