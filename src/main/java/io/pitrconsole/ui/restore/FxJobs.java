package io.pitrconsole.ui.restore;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.ui.ServiceTask;
import io.pitrconsole.ui.TaskRunner;
import java.util.function.Consumer;
import javafx.concurrent.Worker;

/**
 * Jobs as ServiceTasks on the console's TaskRunner (shown in the status bar, failures become
 * notices). Cancelling never abandons the work: it flips the Cancellation and the task runs on
 * until the service has cleaned up (an in-place restore puts the old data directory back), so
 * its result, the report of what happened, still arrives.
 */
final class FxJobs implements Jobs {
    private final TaskRunner runner;

    FxJobs(TaskRunner runner) {
        this.runner = runner;
    }

    @Override
    public <T> Job submit(String title, ServiceTask.Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        ServiceTask<T> task = new ServiceTask<>(title) {
            @Override
            protected T work(ProgressListener progress, Cancellation cancel) throws Exception {
                return work.run(progress, cancel);
            }

            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                cancellation().cancel();
                updateMessage("cancelling: cleaning up...");
                return true;
            }
        };
        task.stateProperty().addListener((obs, old, state) -> {
            if (state == Worker.State.FAILED) {
                onFailure.accept(task.getException());
            }
        });
        runner.run(task, onSuccess);
        return () -> task.cancel();
    }
}
