package io.pitrconsole.ui.dashboard;

import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.PageModel;
import io.pitrconsole.ui.Pages;
import java.time.Instant;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/** State of the dashboard: the summary of the active cluster, reloaded in a task, and its three actions. */
public final class DashboardViewModel implements PageModel {
    private final ConsoleModel model;
    private final Background background;
    private final ReadOnlyObjectWrapper<DashboardSummary> summary = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    /** What the summary was made from; null when there is none for the active cluster. */
    private DashboardSnapshot snapshot;

    public DashboardViewModel(ConsoleModel model, Background background) {
        this.model = model;
        this.background = background;
        // only the stale limit matters here (window geometry is saved as the window closes); it is
        // applied to what was read, without reading again: the page reads anew when it is shown
        model.preferencesProperty().addListener((obs, old, p) -> {
            if (snapshot != null && (old == null
                    || !java.util.Objects.equals(old.completed().staleAfterHours(), p.completed().staleAfterHours()))) {
                summary.set(DashboardSummary.of(snapshot, staleHours()));
            }
        });
    }

    private int staleHours() {
        return model.preferencesProperty().get().completed().staleAfterHours();
    }

    /** The summary on show; null while there is none (no profile, or not loaded yet). */
    public ReadOnlyObjectProperty<DashboardSummary> summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True while a verification started here runs. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Reloads the health checks, windows and rehearsal history of the active cluster. */
    @Override
    public void refresh() {
        ClusterSession s = model.session().orElse(null);
        if (s == null || !s.hasArchive()) {
            snapshot = null;
            summary.set(null);
            return;
        }
        loading.set(true);
        background.submit("Reading the dashboard", (p, c) -> DashboardSnapshot.read(s, p, c), read -> {
            loading.set(false);
            if (model.session().orElse(null) == s) {
                snapshot = read;
                summary.set(DashboardSummary.of(read, staleHours()));
            }
        }, e -> loading.set(false));
    }

    /** Forgets the previous cluster's summary; a load still running for it is dropped when it ends. */
    @Override
    public void sessionChanged() {
        snapshot = null;
        summary.set(null);
    }

    /** Opens the create-backup dialog (the backups page installs it). */
    public void backUpNow() {
        Runnable action = model.backupNowActionProperty().get();
        if (action != null) {
            action.run();
        }
    }

    /** Verifies the newest restorable backup, then reloads. */
    public void verifyNewest() {
        ClusterSession s = model.session().orElse(null);
        DashboardSummary now = summary.get();
        if (s == null || now == null || now.newestBackupId().isEmpty()) {
            model.notify(Notice.info("There is no restorable backup to verify yet"));
            return;
        }
        String id = now.newestBackupId().get();
        busy.set(true);
        background.submit("Verifying " + id, (p, c) -> s.backups().verify(id, p, c), report -> {
            busy.set(false);
            model.notify(report.ok() ? Notice.success(id + " verified: all " + report.filesChecked() + " files match the manifest")
                    : new Notice(Notice.Level.ERROR, id + " is corrupt: " + report.problems().size() + " problems",
                            "the Backups view lists the files; take a new backup", Instant.now()));
            refresh();
        }, e -> busy.set(false));
    }

    /** Takes the user to the restore wizard, where a rehearsal starts. */
    public void rehearse() {
        model.navigate(Pages.RESTORE);
    }
}
