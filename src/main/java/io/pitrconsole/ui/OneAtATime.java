package io.pitrconsole.ui;

import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * A page's commands, one at a time: the running one is in a property the page binds its buttons
 * and progress strip to. It is cleared, and the page refreshed, only when the work has really
 * finished: after Cancel a service still stops its child process and cleans up after itself.
 */
public final class OneAtATime {
    private final Background background;
    private final Runnable afterEach;
    private final ReadOnlyObjectWrapper<Background.Job> active = new ReadOnlyObjectWrapper<>();

    public OneAtATime(Background background, Runnable afterEach) {
        this.background = background;
        this.afterEach = afterEach;
    }

    /** The command running now, or null. */
    public ReadOnlyObjectProperty<Background.Job> activeProperty() {
        return active.getReadOnlyProperty();
    }

    /** Starts the command as the active one; onSuccess gets its result. */
    public <T> Background.Job run(String title, Background.Work<T> work, Consumer<T> onSuccess) {
        Background.Job job = background.submit(title, work, onSuccess, null);
        if (!job.isDone()) {
            active.set(job);
        }
        job.whenDone(() -> {
            if (active.get() == job) {
                active.set(null);
            }
            afterEach.run();
        });
        return job;
    }

    /** Asks the running command to stop; it cleans up and then ends. */
    public void cancel() {
        if (active.get() != null) {
            active.get().cancel();
        }
    }
}
