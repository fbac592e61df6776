package io.pitrconsole.ui;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's Background: each job is a Task on a worker thread, listed in the status bar while it
 * runs, its progress and message those of the service's ProgressListener. Cancelling flips the
 * service's Cancellation and never interrupts the thread, so a backup still removes its partial
 * files and an in-place restore puts the old data directory back; the job leaves the list only
 * when the work has really finished.
 */
public final class FxBackground implements Background {
    private static final Logger LOG = LoggerFactory.getLogger(FxBackground.class);
    /** How long closing the window waits for cancelled work to clean up. */
    static final Duration CLEANUP_ON_CLOSE = Duration.ofSeconds(20);

    private final ExecutorService executor;
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();
    private final JobOutcomes outcomes;

    public FxBackground(Consumer<Notice> notices, Consumer<String> log) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "console-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.outcomes = new JobOutcomes(notices, log);
    }

    @Override
    public ObservableList<Task<?>> running() {
        return running;
    }

    @Override
    public void onUi(Runnable update) {
        Platform.runLater(update);
    }

    /** Call on the FX thread. */
    @Override
    public <T> Job submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure, WhenCancelled whenCancelled) {
        String what = JobOutcomes.title(title);
        JobTask<T> task = new JobTask<>(what, work);
        FxJob job = new FxJob(task);
        if (executor.isShutdown()) {
            // the window is closing: work that ends now asks for a refresh nobody will see
            LOG.debug("not started, the console is closing: {}", what);
            job.finish();
            return job;
        }
        running.add(task);
        task.stateProperty().addListener((obs, old, state) -> {
            if (state == Worker.State.SUCCEEDED) {
                running.remove(task);
                if (task.cancelling.get() && whenCancelled == WhenCancelled.END) {
                    outcomes.cancelled(what);
                    accept(onFailure, new Cancellation.CancelledException(what + " was cancelled"));
                } else {
                    outcomes.succeeded(what);
                    accept(onSuccess, task.getValue());
                }
                job.finish();
            } else if (state == Worker.State.FAILED) {
                running.remove(task);
                Throwable e = task.getException();
                if (task.cancelling.get() || e instanceof Cancellation.CancelledException) {
                    outcomes.cancelled(what);
                } else {
                    outcomes.failed(what, e);
                }
                accept(onFailure, e);
                job.finish();
            } else if (state == Worker.State.CANCELLED) {
                // only when the console closed before the work started
                running.remove(task);
                outcomes.cancelled(what);
                accept(onFailure, new Cancellation.CancelledException(what + " was cancelled"));
                job.finish();
            }
        });
        executor.execute(task);
        return job;
    }

    private static <T> void accept(Consumer<T> consumer, T value) {
        if (consumer != null) {
            consumer.accept(value);
        }
    }

    /**
     * Cancels what still runs and gives it a bounded time to finish cleaning up (a backup removes its
     * partial files, the practice history records where it stopped); used when the window closes.
     */
    @Override
    public void close() {
        if (Platform.isFxApplicationThread()) {
            for (Task<?> t : List.copyOf(running)) {
                t.cancel();
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLEANUP_ON_CLOSE.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("work still running {} s after the window closed is ended with the console", CLEANUP_ON_CLOSE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A service call as a Task: the ProgressListener drives progress and message, cancel flips the Cancellation. */
    private static final class JobTask<T> extends Task<T> {
        private final Work<T> work;
        private final Cancellation cancellation = new Cancellation();
        private final ReadOnlyBooleanWrapper cancelling = new ReadOnlyBooleanWrapper();

        JobTask(String title, Work<T> work) {
            this.work = work;
            updateTitle(title);
        }

        @Override
        protected T call() throws Exception {
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
            return work.run(listener, cancellation);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            // never interrupt and never end the Task here: the work stops through its Cancellation,
            // cleans up, and only then ends (its state tells the status bar)
            if (isDone()) {
                return false;
            }
            if (Platform.isFxApplicationThread()) {
                cancelling.set(true);
            } else {
                Platform.runLater(() -> cancelling.set(true));
            }
            updateMessage("cancelling: cleaning up...");
            cancellation.cancel();
            return true;
        }
    }

    private static final class FxJob implements Job {
        private final JobTask<?> task;
        private final List<Runnable> then = new ArrayList<>();
        private boolean done;

        FxJob(JobTask<?> task) {
            this.task = task;
        }

        void finish() {
            done = true;
            List.copyOf(then).forEach(Runnable::run);
            then.clear();
        }

        @Override
        public String title() {
            return task.getTitle();
        }

        @Override
        public ReadOnlyDoubleProperty progressProperty() {
            return task.progressProperty();
        }

        @Override
        public ReadOnlyStringProperty messageProperty() {
            return task.messageProperty();
        }

        @Override
        public ReadOnlyBooleanProperty cancellingProperty() {
            return task.cancelling.getReadOnlyProperty();
        }

        @Override
        public void cancel() {
            task.cancel();
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public void whenDone(Runnable r) {
            if (done) {
                r.run();
            } else {
                then.add(r);
            }
        }
    }
}
