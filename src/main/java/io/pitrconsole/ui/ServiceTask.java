package io.pitrconsole.ui;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import javafx.concurrent.Task;

/**
 * A Task over a service call: the service's ProgressListener drives the Task's progress and
 * message, and the Task's cancel() flips the service's Cancellation so child processes are
 * stopped cleanly instead of the worker thread being interrupted mid-write.
 */
public abstract class ServiceTask<T> extends Task<T> {
    private final String title;
    private final Cancellation cancellation = new Cancellation();

    protected ServiceTask(String title) {
        this.title = title;
        updateTitle(title);
    }

    /** Runs the service call on a worker thread. */
    protected abstract T work(ProgressListener progress, Cancellation cancel) throws Exception;

    /** Convenience for a call with no progress. */
    public static <T> ServiceTask<T> of(String title, Work<T> work) {
        return new ServiceTask<>(title) {
            @Override
            protected T work(ProgressListener progress, Cancellation cancel) throws Exception {
                return work.run(progress, cancel);
            }
        };
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(ProgressListener progress, Cancellation cancel) throws Exception;
    }

    public String name() {
        return title;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    protected final T call() throws Exception {
        ProgressListener listener = (done, total, message) -> {
            if (total > 0) {
                updateProgress(done, total);
            } else {
                updateProgress(-1, 1);
            }
            if (message != null && !message.isBlank()) {
                updateMessage(message);
            }
        };
        return work(listener, cancellation);
    }

    @Override
    protected void cancelled() {
        cancellation.cancel();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        // never interrupt: a service being interrupted inside a write could leave a half file
        cancellation.cancel();
        return super.cancel(false);
    }
}
