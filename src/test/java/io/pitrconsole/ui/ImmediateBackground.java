package io.pitrconsole.ui;

import io.pitrconsole.core.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * A Background that runs each job at once on the calling thread, for view-model tests without a
 * window: submit returns when the work has ended and its outcome has been handed on. Failures and
 * cancellations are reported as the window's are (same notices, same log lines).
 */
public final class ImmediateBackground implements Background {
    private final JobOutcomes outcomes;
    private final ObservableList<Task<?>> none = FXCollections.unmodifiableObservableList(FXCollections.observableArrayList());
    private final List<String> titles = new ArrayList<>();
    private boolean cancelNext;

    public ImmediateBackground(Consumer<Notice> notices, Consumer<String> log) {
        this.outcomes = new JobOutcomes(notices, log);
    }

    /** A console over profiles and preferences in that directory whose work runs at once, without a window. */
    public static ConsoleModel console(java.nio.file.Path dir) {
        return new ConsoleModel(java.util.Map.of(), new io.pitrconsole.config.ProfileStore(dir.resolve("profiles.json")),
                new UiPreferencesStore(dir.resolve("ui.json")), new io.pitrconsole.practice.PracticeLayout(dir.resolve("practice")),
                ImmediateBackground::new);
    }

    /** The titles of the jobs submitted so far, in order. */
    public List<String> titles() {
        return titles;
    }

    /** Has the next job cancelled as soon as it starts, as a user clicking Cancel at once would. */
    public void cancelNextJob() {
        cancelNext = true;
    }

    @Override
    public <T> Job submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure, WhenCancelled whenCancelled) {
        String what = JobOutcomes.title(title);
        titles.add(title);
        ImmediateJob job = new ImmediateJob(what);
        if (cancelNext) {
            cancelNext = false;
            job.cancel();
        }
        T value;
        try {
            value = work.run((done, total, message) -> {
                job.progress.set(total > 0 ? (double) done / total : -1);
                if (message != null && !message.isBlank()) {
                    job.message.set(message);
                }
            }, job.cancellation);
        } catch (Exception e) {
            if (job.cancelling.get() || e instanceof Cancellation.CancelledException) {
                outcomes.cancelled(what);
            } else {
                outcomes.failed(what, e);
            }
            if (onFailure != null) {
                onFailure.accept(e);
            }
            job.done = true;
            return job;
        }
        if (job.cancelling.get() && whenCancelled == WhenCancelled.END) {
            outcomes.cancelled(what);
            if (onFailure != null) {
                onFailure.accept(new Cancellation.CancelledException(what + " was cancelled"));
            }
        } else {
            outcomes.succeeded(what);
            if (onSuccess != null) {
                onSuccess.accept(value);
            }
        }
        job.done = true;
        return job;
    }

    @Override
    public void onUi(Runnable update) {
        update.run();
    }

    /** Nothing is ever still running once submit has returned. */
    @Override
    public ObservableList<Task<?>> running() {
        return none;
    }

    @Override
    public void close() {
        // nothing runs in the background
    }

    private static final class ImmediateJob implements Job {
        private final String title;
        private final Cancellation cancellation = new Cancellation();
        private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
        private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
        private final ReadOnlyBooleanWrapper cancelling = new ReadOnlyBooleanWrapper();
        private boolean done;

        ImmediateJob(String title) {
            this.title = title;
        }

        @Override
        public String title() {
            return title;
        }

        @Override
        public ReadOnlyDoubleProperty progressProperty() {
            return progress.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty messageProperty() {
            return message.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty cancellingProperty() {
            return cancelling.getReadOnlyProperty();
        }

        @Override
        public void cancel() {
            if (!done) {
                cancelling.set(true);
                cancellation.cancel();
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public void whenDone(Runnable then) {
            // submit returns only once the job is done
            then.run();
        }
    }
}
