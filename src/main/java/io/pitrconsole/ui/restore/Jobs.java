package io.pitrconsole.ui.restore;

import io.pitrconsole.ui.ServiceTask;
import java.util.function.Consumer;

/** Runs the wizard's slow calls off the UI thread; results come back on it. */
public interface Jobs {
    /** A running job; cancel asks the work to stop through its Cancellation and lets it clean up and finish. */
    interface Job {
        void cancel();
    }

    <T> Job submit(String title, ServiceTask.Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);
}
