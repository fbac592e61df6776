package io.pitrconsole.ui.dashboard;

import io.pitrconsole.config.Profile;
import io.pitrconsole.practice.HistoryProgress;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeListener;
import io.pitrconsole.practice.PracticeClusters;
import io.pitrconsole.practice.PracticeState;
import io.pitrconsole.practice.PracticeStatus;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.ExclusiveTasks;
import io.pitrconsole.ui.ServiceTask;
import java.time.Duration;
import java.util.Optional;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;

/**
 * The first-run offer: with no profile at all, create a local practice cluster (the same one as the
 * CLI's 'demo'); once it exists, start, stop or remove it. Work runs in ServiceTasks; afterwards the
 * profiles are reloaded so every page sees the practice profile.
 */
public final class PracticeViewModel {
    /** History the CLI writes by default; enough for three backups and two restore points. */
    public static final int DEFAULT_HISTORY_SECONDS = 180;

    private final ConsoleModel model;
    private final ReadOnlyObjectWrapper<PracticeStatus> status = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Task<?>> running = new ReadOnlyObjectWrapper<>();
    private final IntegerProperty historySeconds = new SimpleIntegerProperty(DEFAULT_HISTORY_SECONDS);
    private final BooleanBinding offered;
    private final Runnable historyGrew;

    /** @param historyGrew reloads what shows the practice cluster's archive (the dashboard) as its history grows */
    public PracticeViewModel(ConsoleModel model, Runnable historyGrew) {
        this.model = model;
        this.historyGrew = historyGrew;
        model.profiles().addListener((ListChangeListener<Profile>) c -> refresh());
        // shown to a first-time user (no profile), and whenever the practice cluster exists
        offered = Bindings.createBooleanBinding(() -> running.get() != null || model.profiles().isEmpty()
                || (status.get() != null && status.get().exists()), model.profiles(), status, running);
    }

    public ReadOnlyObjectProperty<PracticeStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The create, start, stop or remove task in progress; null when idle. */
    public ReadOnlyObjectProperty<Task<?>> runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** How many seconds of history 'create' writes (orders, backups, restore points). */
    public IntegerProperty historySecondsProperty() {
        return historySeconds;
    }

    /** Whether the page shows the practice card at all. */
    public BooleanBinding offeredProperty() {
        return offered;
    }

    /** Whether the practice cluster exists, and runs. */
    public void refresh() {
        PracticeCluster practice = practice();
        model.tasks().run(ServiceTask.of("Looking for the practice cluster", (p, c) -> practice.status()), status::set);
    }

    /**
     * Creates the practice cluster and makes its profile the active one as soon as its first
     * restorable range is archived; the rest of the history is written in the same task, its
     * progress in the task's message, the dashboard reloaded after each backup and restore point.
     */
    public Task<PracticeState> create() {
        PracticeCluster practice = practice();
        Duration history = Duration.ofSeconds(Math.max(10, historySeconds.get()));
        return track("Creating the practice cluster", (p, c) -> practice.create(history, new PracticeListener() {
            private volatile boolean usable;
            private int events;

            @Override
            public void stepStarted(String step) {
                // after the first range the history's own progress line says more than the step's name
                if (!usable) {
                    p.progress(-1, -1, step);
                }
            }

            @Override
            public void firstRange(PracticeState state) {
                usable = true;
                Platform.runLater(() -> {
                    model.notify(Notice.success("Practice cluster running on port " + state.port()
                            + ": its first restorable range is there; the rest of the history follows"));
                    model.reloadProfiles();
                    model.profiles().stream().filter(pr -> pr.name().equals(PracticeCluster.PROFILE)).findFirst()
                            .ifPresent(model::activate);
                    refresh();
                });
            }

            @Override
            public void history(HistoryProgress h) {
                p.progress(h.written().toMillis(), h.length().toMillis(), h.describe());
                if (h.backups() + h.restorePoints() != events) {
                    events = h.backups() + h.restorePoints();
                    Platform.runLater(() -> {
                        refresh();
                        historyGrew.run();
                    });
                }
            }
        }, c), state -> {
            model.notify(Notice.success("Practice history written: " + state.backups() + " backups, "
                    + state.restorePoints() + " restore points"));
            historyGrew.run();
        });
    }

    /** Starts the practice cluster's server. */
    public Task<PracticeState> start() {
        PracticeCluster practice = practice();
        return track("Starting the practice cluster", (p, c) -> practice.start(), s -> model.checkConnection());
    }

    /** Stops the practice cluster's server. */
    public Task<Void> stop() {
        PracticeCluster practice = practice();
        return track("Stopping the practice cluster", (p, c) -> {
            practice.stop();
            return null;
        }, v -> model.checkConnection());
    }

    /** Stops it and deletes its data directory, archive and profile. */
    public Task<Void> remove() {
        PracticeCluster practice = practice();
        return track("Removing the practice cluster", (p, c) -> {
            practice.remove();
            return null;
        }, v -> {
            model.notify(Notice.success("Practice cluster removed"));
            model.reloadProfiles();
        });
    }

    private <T> Task<T> track(String title, ServiceTask.Work<T> work, java.util.function.Consumer<T> onSuccess) {
        return new ExclusiveTasks(model.tasks(), running, this::refresh).run(title, work, onSuccess);
    }

    /**
     * Cancels the running command. Creation cancelled before the first restorable range removes
     * what it had made; after it, the history stops and the cluster keeps what was written.
     */
    public void cancel() {
        Task<?> t = running.get();
        if (t != null) {
            t.cancel();
        }
    }

    private PracticeCluster practice() {
        // the cluster the practice (or active) profile points at, wherever 'demo --dir' put it
        return new PracticeClusters(model.profileStore(), model.practiceLayout(), model.env())
                .open(Optional.empty(), model.session().map(ClusterSession::name), Optional.empty(), Optional.empty());
    }
}
