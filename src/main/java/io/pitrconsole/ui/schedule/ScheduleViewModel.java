package io.pitrconsole.ui.schedule;

import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.schedule.CleanupPlan;
import io.pitrconsole.schedule.InstalledJob;
import io.pitrconsole.schedule.Launcher;
import io.pitrconsole.schedule.ScheduleConfig;
import io.pitrconsole.schedule.ScheduleService;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.PageModel;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the schedule page: the retention editor over backup_schedule.json, the cleanup dry
 * run, the jobs installed in cron or systemd (through the same installers as the CLI) with their
 * next runs, and the health checks of the CLI's 'health'.
 */
public final class ScheduleViewModel implements PageModel {
    /** Which scheduler to install into. */
    public enum Scheduler { CRON, SYSTEMD }

    /** One row of the cleanup preview. */
    public record Removal(String kind, String name, long bytes, String reason) {
    }

    /** A job: where it is installed (or "not installed") and when it runs next. */
    public record JobRow(String name, String when, ZonedDateTime nextRun, String where) {
    }

    private final ConsoleModel model;
    private final Background background;
    private final RetentionForm form = new RetentionForm();
    private final ObservableList<Removal> removals = FXCollections.observableArrayList();
    private final ObservableList<String> notes = FXCollections.observableArrayList();
    private final ObservableList<JobRow> jobs = FXCollections.observableArrayList();
    private final ObservableList<Finding> health = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<CleanupPlan> plan = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper cleanupTotal = new ReadOnlyStringWrapper("No preview yet.");
    private final ReadOnlyStringWrapper healthStatus = new ReadOnlyStringWrapper("Not checked yet.");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper();
    private ClusterSession shown;

    public ScheduleViewModel(ConsoleModel model, Background background) {
        this.model = model;
        this.background = background;
    }

    public RetentionForm form() {
        return form;
    }

    public ObservableList<Removal> removals() {
        return removals;
    }

    public ObservableList<String> notes() {
        return notes;
    }

    public ObservableList<JobRow> jobs() {
        return jobs;
    }

    public ObservableList<Finding> health() {
        return health;
    }

    public ReadOnlyObjectProperty<CleanupPlan> planProperty() {
        return plan.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty cleanupTotalProperty() {
        return cleanupTotal.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthStatusProperty() {
        return healthStatus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** True when a profile with an archive is active, so the page has something to edit. */
    public ReadOnlyBooleanProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    /** Reads the schedule file and the installed jobs again, and runs the health checks. */
    @Override
    public void refresh() {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty() || s.get() != shown) {
            // nothing shown may belong to another cluster than the active one
            forget();
            shown = s.orElse(null);
        }
        if (s.isEmpty()) {
            return;
        }
        try {
            form.load(s.get().schedule().load());
            state.set("");
        } catch (PitrException e) {
            form.load(ScheduleConfig.defaults());
            state.set(e.getMessage() + " (the editor shows the defaults). Hint: " + e.consoleHint());
        }
        refreshJobs();
        checkHealth();
    }

    /**
     * Forgets the previous cluster's preview, jobs and health; the editor goes back to the defaults
     * until the next refresh reads the new cluster's schedule file.
     */
    @Override
    public void sessionChanged() {
        forget();
        shown = null;
        form.load(ScheduleConfig.defaults());
        ready.set(false);
        state.set("");
    }

    private void forget() {
        removals.clear();
        notes.clear();
        jobs.clear();
        health.clear();
        plan.set(null);
        cleanupTotal.set("No preview yet.");
        healthStatus.set("Not checked yet.");
    }

    /** Writes the editor's values to backup_schedule.json; false (and a notice) when a value cannot work. */
    public boolean save() {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty()) {
            return false;
        }
        try {
            ScheduleConfig c = form.toConfig();
            s.get().schedule().save(c);
            form.load(c);
            model.notify(Notice.success("Schedule saved to " + s.get().services().scheduleSettings().where()));
            refreshJobs();
            return true;
        } catch (PitrException e) {
            model.notify(Notice.failure("Saving the schedule", e));
            return false;
        }
    }

    /** The cleanup dry run with the saved policy: what would be removed and how much space it frees. */
    public void preview() {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        busy.set(true);
        background.submit("Cleanup preview of " + session.name(), (p, c) -> session.cleanup().plan(), result -> {
            busy.set(false);
            plan.set(result);
            List<Removal> rows = new ArrayList<>();
            result.backups().forEach(b -> rows.add(new Removal("backup", b.name(), b.bytes(), b.reason())));
            result.wal().forEach(w -> rows.add(new Removal("wal", w.name(), w.bytes(), w.reason())));
            removals.setAll(rows);
            notes.setAll(result.notes());
            cleanupTotal.set(total(result));
        }, e -> busy.set(false));
    }

    static String total(CleanupPlan p) {
        if (p.isEmpty()) {
            return "A cleanup now would remove nothing; " + ByteSize.of(p.bytesAfter()).human() + " stays.";
        }
        return "A cleanup now would remove " + p.backups().size() + " backups and " + p.wal().size() + " WAL files, "
                + ByteSize.of(p.bytesFreed()).human() + " in total; " + ByteSize.of(p.bytesAfter()).human() + " stays.";
    }

    /** Installs the saved schedule's jobs into cron or systemd, replacing this archive's earlier ones. */
    public void install(Scheduler kind) {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        runJobTask("Installing the " + label(kind) + " schedule of " + session.name(),
                () -> session.jobs().install(scheduler(kind), Launcher.current()));
    }

    /** Removes this archive's jobs from that scheduler. */
    public void remove(Scheduler kind) {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        runJobTask("Removing the " + label(kind) + " schedule of " + session.name(),
                () -> session.jobs().remove(Set.of(scheduler(kind))));
    }

    /** Runs 'health' in the background: the same checks, levels and hints. */
    public void checkHealth() {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        healthStatus.set("checking...");
        background.submit("Health of " + session.name(), (p, c) -> session.health().check(), r -> {
            health.setAll(r.checks());
            healthStatus.set("Health: " + r.status().label());
        }, e -> healthStatus.set("The health check could not run; the notice says why."));
    }

    private interface JobWork {
        List<String> run();
    }

    private void runJobTask(String title, JobWork work) {
        busy.set(true);
        background.submit(title, (p, c) -> work.run(), lines -> {
            busy.set(false);
            lines.forEach(model::log);
            model.notify(Notice.success(String.join("\n", lines)));
            refreshJobs();
        }, e -> busy.set(false));
    }

    /** The jobs found installed, or the saved schedule's next runs marked "not installed" when none are. */
    public void refreshJobs() {
        Optional<ClusterSession> s = usable();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        ScheduleConfig config;
        try {
            config = form.toConfig();
        } catch (PitrException e) {
            config = ScheduleConfig.defaults();
        }
        ScheduleConfig saved = config;
        background.submit("Reading installed jobs of " + session.name(), (p, c) -> {
            ZonedDateTime now = ZonedDateTime.now();
            List<JobRow> rows = new ArrayList<>();
            ScheduleService schedule = session.jobs();
            for (InstalledJob j : schedule.installed(now)) {
                rows.add(new JobRow(j.name(), j.time().toString(), j.nextRun(), j.where()));
            }
            if (rows.isEmpty()) {
                List<String> why = schedule.unavailable();
                String where = why.isEmpty() ? "not installed" : "not installed (" + String.join("; ", why) + ")";
                if (saved.backup().enabled()) {
                    rows.add(new JobRow("backup", saved.backup().jobTime().toString(), saved.backup().jobTime().next(now), where));
                }
                if (saved.cleanup().enabled()) {
                    rows.add(new JobRow("cleanup", saved.cleanup().jobTime().toString(), saved.cleanup().jobTime().next(now), where));
                }
            }
            return rows;
        }, jobs::setAll);
    }

    private Optional<ClusterSession> usable() {
        Optional<ClusterSession> s = model.session();
        if (s.isEmpty()) {
            ready.set(false);
            state.set("No cluster profile: add one under Settings.");
            return Optional.empty();
        }
        if (!s.get().hasArchive()) {
            ready.set(false);
            state.set("The profile " + s.get().name() + " has no archive directory: set one under Settings > Profiles.");
            return Optional.empty();
        }
        ready.set(true);
        return s;
    }

    private static ScheduleService.Scheduler scheduler(Scheduler kind) {
        return kind == Scheduler.CRON ? ScheduleService.Scheduler.CRON : ScheduleService.Scheduler.SYSTEMD;
    }

    private static String label(Scheduler kind) {
        return kind == Scheduler.CRON ? "cron" : "systemd";
    }

}
