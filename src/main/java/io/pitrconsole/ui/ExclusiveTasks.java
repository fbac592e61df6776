package io.pitrconsole.ui;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;

/**
 * Runs a page's commands one at a time, marking the one that runs in a property the page binds its
 * buttons to. The mark is cleared, and the page refreshed, only when the worker has really finished:
 * a cancelled Task reports CANCELLED at once, while the service is still stopping its child process
 * and cleaning up after itself.
 */
public final class ExclusiveTasks {
    private final TaskRunner runner;
    private final ReadOnlyObjectWrapper<Task<?>> active;
    private final Runnable afterEach;

    public ExclusiveTasks(TaskRunner runner, ReadOnlyObjectWrapper<Task<?>> active, Runnable afterEach) {
        this.runner = runner;
        this.active = active;
        this.afterEach = afterEach;
    }

    /** Starts the command as the active one; onSuccess runs on the FX thread. */
    public <T> Task<T> run(String title, ServiceTask.Work<T> work, Consumer<T> onSuccess) {
        Task<?>[] self = new Task<?>[1];
        AtomicBoolean started = new AtomicBoolean();
        ServiceTask<T> task = ServiceTask.of(title, (p, c) -> {
            started.set(true);
            try {
                return work.run(p, c);
            } finally {
                Platform.runLater(() -> {
                    if (active.get() == self[0]) {
                        active.set(null);
                    }
                    afterEach.run();
                });
            }
        });
        self[0] = task;
        active.set(task);
        task.stateProperty().addListener((obs, old, state) -> {
            // cancelled before the worker started: the finally above never runs
            if (state == Worker.State.CANCELLED && active.get() == task && !started.get()) {
                active.set(null);
            }
        });
        return runner.run(task, onSuccess);
    }
}
