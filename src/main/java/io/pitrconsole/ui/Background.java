package io.pitrconsole.ui;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * The console's one way to run slow work: every view model is handed one and runs its service
 * calls through it, never on the FX thread. The window's ({@link FxBackground}) runs the work on
 * worker threads and lists it in the status bar; tests hand in one that runs it at once on the
 * calling thread, so view models are tested without a window. Either way a failure becomes a notice
 * (message and hint) and a log line, never a stack trace in a dialog, and results arrive on the
 * thread that owns the view model's properties.
 */
public interface Background {
    /** A service call: reports progress, stops cleanly when its Cancellation is flipped. */
    @FunctionalInterface
    interface Work<T> {
        T run(ProgressListener progress, Cancellation cancel) throws Exception;
    }

    /** What a job asked to stop ends with. */
    enum WhenCancelled {
        /** It ends as cancelled: a notice says so, onFailure gets the reason, onSuccess never runs. */
        END,
        /** Its result still arrives: a restore reports what it did, and what it put back. */
        REPORT
    }

    /** Work that was submitted: its progress, and a cancel that lets it clean up and finish. */
    interface Job {
        String title();

        /** 0..1, or -1 while the work cannot tell. */
        ReadOnlyDoubleProperty progressProperty();

        ReadOnlyStringProperty messageProperty();

        /** True once cancel was asked for; the work may still be cleaning up. */
        ReadOnlyBooleanProperty cancellingProperty();

        /** Asks the work to stop through its Cancellation; never interrupts it in the middle of a write. */
        void cancel();

        /** Whether the work has ended (and its result or failure has been handed on). */
        boolean isDone();

        /** Runs after the result or failure has been handed on (at once when that has happened already). */
        void whenDone(Runnable then);
    }

    /** Creates the background of a console from where its notices and log lines go. */
    @FunctionalInterface
    interface Factory {
        Background create(Consumer<Notice> notices, Consumer<String> log);
    }

    /**
     * Runs the work; onSuccess or onFailure (either may be null) gets its outcome on the view
     * model's thread. A failure is also shown as a notice.
     */
    <T> Job submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure, WhenCancelled whenCancelled);

    /** As {@link #submit(String, Work, Consumer, Consumer, WhenCancelled)}; a cancelled job just ends. */
    default <T> Job submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        return submit(title, work, onSuccess, onFailure, WhenCancelled.END);
    }

    /** As {@link #submit(String, Work, Consumer, Consumer, WhenCancelled)}, for work whose failure the notice covers. */
    default <T> Job submit(String title, Work<T> work, Consumer<T> onSuccess) {
        return submit(title, work, onSuccess, null, WhenCancelled.END);
    }

    /** Runs an update from inside running work on the view model's thread. */
    void onUi(Runnable update);

    /** Work running now, for the status bar; changed on the FX thread only. */
    ObservableList<Task<?>> running();

    /** Cancels what still runs and gives it a bounded time to clean up; used when the window closes. */
    void close();
}
