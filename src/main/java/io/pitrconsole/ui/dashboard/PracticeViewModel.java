package io.pitrconsole.ui.dashboard;

import io.pitrconsole.config.Profile;
import io.pitrconsole.practice.HistoryProgress;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeClusters;
import io.pitrconsole.practice.PracticeListener;
import io.pitrconsole.practice.PracticeState;
import io.pitrconsole.practice.PracticeStatus;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.OneAtATime;
import java.time.Duration;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.ListChangeListener;

/**
 * The first-run offer: with no profile at all, create a local practice cluster (the same one as the
 * CLI's 'demo'); once it exists, start, stop or remove it. Work runs as jobs of the console's Background; afterwards the
 * profiles are reloaded so every page sees the practice profile.
 */
public final class PracticeViewModel {
    /** History the CLI writes by default; enough for three backups and two restore points. */
    public static final int DEFAULT_HISTORY_SECONDS = 180;

    private final ConsoleModel model;
    private final Background background;
    private final ReadOnlyObjectWrapper<PracticeStatus> status = new ReadOnlyObjectWrapper<>();
    private final OneAtATime commands;
    private final ReadOnlyObjectProperty<Background.Job> running;
    private final IntegerProperty historySeconds = new SimpleIntegerProperty(DEFAULT_HISTORY_SECONDS);
    private final BooleanBinding offered;
    private final Runnable historyGrew;

    /** @param historyGrew reloads what shows the practice cluster's archive (the dashboard) as its history grows */
    public PracticeViewModel(ConsoleModel model, Background background, Runnable historyGrew) {
        this.model = model;
        this.background = background;
        this.commands = new OneAtATime(background, this::refresh);
        this.running = commands.activeProperty();
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
    public ReadOnlyObjectProperty<Background.Job> runningProperty() {
        return running;
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
        background.submit("Looking for the practice cluster", (p, c) -> practice.status(), status::set);
    }

    /**
     * Creates the practice cluster and makes its profile the active one as soon as its first
     * restorable range is archived; the rest of the history is written in the same task, its
     * progress in the task's message, the dashboard reloaded after each backup and restore point.
     */
    public Background.Job create() {
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
                // the history's line replaces the step's before the dashboard is asked to show the range: the
                // history's own first report comes only after it has connected and written an order, and a quick
                // reload would otherwise show the range under the old step's name
                // (events counted first: the reload below is the one for these backups and restore points)
                events = state.backups() + state.restorePoints();
                history(new HistoryProgress(Duration.between(state.historyFrom(), state.historyTo()), history,
                        state.backups(), state.restorePoints()));
                background.onUi(() -> {
                    model.notify(Notice.success("Practice cluster running on port " + state.port()
                            + ": its first restorable range is there; the rest of the history follows"));
                    model.reloadProfiles(PracticeCluster.PROFILE).whenDone(() -> refresh());
                });
            }

            @Override
            public void history(HistoryProgress h) {
                p.progress(h.written().toMillis(), h.length().toMillis(), h.describe());
                if (h.backups() + h.restorePoints() != events) {
                    events = h.backups() + h.restorePoints();
                    background.onUi(() -> {
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
    public Background.Job start() {
        PracticeCluster practice = practice();
        return track("Starting the practice cluster", (p, c) -> practice.start(), s -> model.checkConnection());
    }

    /** Stops the practice cluster's server. */
    public Background.Job stop() {
        PracticeCluster practice = practice();
        return track("Stopping the practice cluster", (p, c) -> {
            practice.stop();
            return null;
        }, v -> model.checkConnection());
    }

    /** Stops it and deletes its data directory, archive and profile. */
    public Background.Job remove() {
        PracticeCluster practice = practice();
        return track("Removing the practice cluster", (p, c) -> {
            practice.remove();
            return null;
        }, v -> {
            model.notify(Notice.success("Practice cluster removed"));
            model.reloadProfiles();
        });
    }

    private <T> Background.Job track(String title, Background.Work<T> work, java.util.function.Consumer<T> onSuccess) {
        return commands.run(title, work, onSuccess);
    }

    /**
     * Cancels the running command. Creation cancelled before the first restorable range removes
     * what it had made; after it, the history stops and the cluster keeps what was written.
     */
    public void cancel() {
        commands.cancel();
    }

    private PracticeCluster practice() {
        // the cluster the practice (or active) profile points at, wherever 'demo --dir' put it
        return new PracticeClusters(model.profileStore(), model.practiceLayout(), model.env())
                .open(Optional.empty(), model.session().map(ClusterSession::name), Optional.empty(), Optional.empty());
    }
}
