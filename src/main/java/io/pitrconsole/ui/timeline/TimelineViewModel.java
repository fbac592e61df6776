package io.pitrconsole.ui.timeline;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.PageModel;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * State of the Recovery Timeline page: the timeline data loaded from the active profile's archive
 * (windows, gaps, restore points, backups), a summary line, and the details of the moment the user
 * picked, with the command that hands it to the restore wizard.
 */
public final class TimelineViewModel implements PageModel {
    /** What one load produced: the drawing model and what details are computed from. */
    public record Loaded(TimelineData data, RecoveryWindows windows, List<BackupRecord> backups) {
    }

    private final ConsoleModel model;
    private final Background background;
    private final ZoneId zone;
    private final ReadOnlyObjectWrapper<TimelineData> data = new ReadOnlyObjectWrapper<>(TimelineData.empty());
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<MomentDetails> details = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private Loaded loaded;
    private ClusterSession shownSession;
    private int generation;

    public TimelineViewModel(ConsoleModel model, Background background, ZoneId zone) {
        this.model = model;
        this.background = background;
        this.zone = zone;
    }

    public ReadOnlyObjectProperty<TimelineData> dataProperty() {
        return data.getReadOnlyProperty();
    }

    /** "3 backups, 412 WAL segments, 1 gap" or why there is nothing to show. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The picked moment's details; null before a pick or after a reload. */
    public ReadOnlyObjectProperty<MomentDetails> detailsProperty() {
        return details.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Reloads windows and backups of the active profile's archive in the background. */
    @Override
    public void refresh() {
        int gen = ++generation;
        Optional<ClusterSession> session = model.session();
        details.set(null);
        if (session.isEmpty() || !session.get().hasArchive()) {
            apply(null);
            shownSession = null;
            summary.set(session.isEmpty() ? "No cluster profile: add one under Settings." : "The profile has no archive directory.");
            return;
        }
        ClusterSession s = session.get();
        loading.set(true);
        if (s != shownSession) {
            // another cluster: its archive must not be drawn over the previous one's
            apply(null);
            shownSession = s;
        }
        if (loaded == null) {
            summary.set("Reading the archive...");
        }
        background.submit("Loading the recovery timeline", (progress, cancel) -> load(s, progress, cancel), result -> {
            if (gen == generation) {
                loading.set(false);
                apply(result);
            }
        }, e -> {
            if (gen == generation) {
                loading.set(false);
                summary.set("Could not read the archive (see the notice).");
            }
        });
    }

    /** Forgets the previous cluster's archive; a load still running for it is dropped when it ends. */
    @Override
    public void sessionChanged() {
        generation++;
        loading.set(false);
        apply(null);
        shownSession = null;
        summary.set("");
    }

    /** Reads the archive: windows over the (incrementally indexed) WAL and the catalog's readable records. */
    static Loaded load(ClusterSession s, io.pitrconsole.core.ProgressListener progress, io.pitrconsole.core.Cancellation cancel) {
        RecoveryWindows windows = s.windows().windows(progress, cancel);
        List<BackupRecord> backups = s.backups().list().stream().map(CatalogEntry::record).flatMap(Optional::stream).toList();
        return new Loaded(TimelineData.of(windows, backups), windows, backups);
    }

    /** Shows a loaded archive (the page's tests and the benchmark hand one in directly). */
    public void apply(Loaded result) {
        loaded = result;
        details.set(null);
        if (result == null) {
            data.set(TimelineData.empty());
            return;
        }
        data.set(result.data());
        int gaps = result.windows().gaps().size();
        summary.set(result.backups().size() + " backup(s), " + result.windows().index().segments().size() + " WAL segment(s), "
                + (gaps == 0 ? "no gaps" : gaps + " gap(s)") + ", " + result.windows().index().restorePoints().size()
                + " restore point(s)" + (result.windows().windows().isEmpty() ? " - nothing is restorable yet" : ""));
    }

    /** Shows what restoring to the picked moment takes. */
    public void pick(TimelineSelection selection) {
        if (selection == null || loaded == null) {
            details.set(null);
            return;
        }
        details.set(MomentDetails.of(loaded.windows(), loaded.backups(), selection.time(), selection.timeline()));
    }

    /** Opens the restore wizard with the picked moment as a time target on its timeline; nothing when it is not restorable. */
    public void restoreHere() {
        MomentDetails d = details.get();
        if (d == null || !d.restorable()) {
            return;
        }
        model.requestRestore(RecoveryTarget.time(OffsetDateTime.ofInstant(d.time(), zone)).onTimeline(d.timeline()));
    }
}
