package io.pitrconsole.ui;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the console's slow work off the FX thread and keeps the list of running tasks the status
 * bar shows. A failed task becomes a Notice (message + hint) and a log entry with the details;
 * no stack trace ever reaches a dialog.
 */
public final class TaskRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    /** How long closing the window waits for cancelled work to clean up. */
    private static final java.time.Duration CLEANUP_ON_CLOSE = java.time.Duration.ofSeconds(20);

    private final ExecutorService executor;
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();
    private final Consumer<Notice> notices;
    private final Consumer<String> log;

    public TaskRunner(Consumer<Notice> notices, Consumer<String> log) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "console-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.notices = notices;
        this.log = log;
    }

    /** Tasks currently running, for the status bar; changed on the FX thread only. */
    public ObservableList<Task<?>> running() {
        return running;
    }

    /** Starts the task; onSuccess runs on the FX thread with its value. Call on the FX thread. */
    public <T> Task<T> run(Task<T> task, Consumer<T> onSuccess) {
        String what = task.getTitle() == null || task.getTitle().isBlank() ? "task" : task.getTitle();
        if (executor.isShutdown()) {
            // the window is closing: work that ends now asks for a refresh nobody will see
            LOG.debug("not started, the console is closing: {}", what);
            task.cancel();
            return task;
        }
        running.add(task);
        task.stateProperty().addListener((obs, old, state) -> {
            if (state == Worker.State.SUCCEEDED) {
                running.remove(task);
                log.accept(what + ": done");
                if (onSuccess != null) {
                    onSuccess.accept(task.getValue());
                }
            } else if (state == Worker.State.FAILED) {
                running.remove(task);
                Throwable e = task.getException();
                Notice notice = Notice.failure(what, e);
                LOG.warn("{} failed", what, e);
                log.accept(notice.message() + (notice.hint().isBlank() ? "" : "\n  hint: " + notice.hint())
                        + (e instanceof io.pitrconsole.core.PitrException ? "" : "\n" + stackTrace(e)));
                notices.accept(notice);
            } else if (state == Worker.State.CANCELLED) {
                running.remove(task);
                log.accept(what + ": cancelled");
                notices.accept(Notice.info(what + " was cancelled"));
            }
        });
        executor.execute(task);
        return task;
    }

    public <T> Task<T> run(Task<T> task) {
        return run(task, null);
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /**
     * Cancels what still runs and gives it a bounded time to finish cleaning up (a backup removes its
     * partial files, the practice history records where it stopped); used when the window closes.
     */
    @Override
    public void close() {
        if (Platform.isFxApplicationThread()) {
            for (Task<?> t : java.util.List.copyOf(running)) {
                t.cancel();
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLEANUP_ON_CLOSE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("work still running {} s after the window closed is ended with the console", CLEANUP_ON_CLOSE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
