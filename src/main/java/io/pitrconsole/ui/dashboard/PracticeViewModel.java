package io.pitrconsole.ui.dashboard;

import io.pitrconsole.config.Profile;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.practice.PracticeLocator;
import io.pitrconsole.practice.PracticeState;
import io.pitrconsole.practice.PracticeStatus;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.ExclusiveTasks;
import io.pitrconsole.ui.ServiceTask;
import java.time.Duration;
import java.util.Optional;
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

    public PracticeViewModel(ConsoleModel model) {
        this.model = model;
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

    /** Creates, starts and fills the practice cluster, then makes its profile the active one. */
    public Task<PracticeState> create() {
        PracticeCluster practice = practice();
        Duration history = Duration.ofSeconds(Math.max(10, historySeconds.get()));
        return track("Creating the practice cluster", (p, c) -> practice.create(history, p, c), state -> {
            model.notify(Notice.success("Practice cluster ready on port " + state.port() + ": " + state.backups() + " backups, "
                    + state.restorePoints() + " restore points"));
            model.reloadProfiles();
            model.profiles().stream().filter(p -> p.name().equals(PracticeCluster.PROFILE)).findFirst().ifPresent(model::activate);
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

    /** Cancels the running command (create removes what it had made). */
    public void cancel() {
        Task<?> t = running.get();
        if (t != null) {
            t.cancel();
        }
    }

    private PracticeCluster practice() {
        // the practice profile's own binaries once it exists; before that, whatever PostgreSQL 15 is found
        PgContext pg = new PgContext(Optional.empty(), model.env(), new OsUser(OsUser.DEFAULT));
        // the cluster the practice (or active) profile points at, wherever 'demo --dir' put it
        PracticeLayout layout = new PracticeLocator(model.profileStore())
                .locate(model.session().map(ClusterSession::name), model.practiceLayout());
        return new PracticeCluster(layout, pg, model.profileStore());
    }
}
