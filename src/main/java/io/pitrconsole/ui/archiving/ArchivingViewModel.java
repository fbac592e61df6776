package io.pitrconsole.ui.archiving;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ApplyResult;
import io.pitrconsole.archiving.ArchiverStats;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.archiving.HourlyCount;
import io.pitrconsole.archiving.SettingComparison;
import io.pitrconsole.core.Finding;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.PageModel;
import io.pitrconsole.ui.RepositoryEncryptionModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the WAL archiving page: the server's settings against the recommended ones, the last
 * verification's findings, archiver statistics and segments archived per hour. Commands start
 * jobs of the console's Background; results land here on the FX thread.
 */
public final class ArchivingViewModel implements PageModel {
    static final Duration VERIFY_WAIT = Duration.ofSeconds(60);

    /** One reading of the server and the archive. */
    record Snapshot(List<SettingComparison> settings, ArchiverStats stats, List<HourlyCount> activity) {
    }

    private final ConsoleModel model;
    private final Background background;
    private final ObservableList<SettingComparison> settings = FXCollections.observableArrayList();
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final ObservableList<HourlyCount> activity = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ArchiverStats> stats = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper verifySummary = new ReadOnlyStringWrapper("Not verified yet.");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ObjectProperty<Compression> compression = new SimpleObjectProperty<>(Compression.NONE);
    private final IntegerProperty archiveTimeoutSeconds = new SimpleIntegerProperty(
            (int) ArchivingService.DEFAULT_ARCHIVE_TIMEOUT.toSeconds());
    private final IntegerProperty hours = new SimpleIntegerProperty(24);
    private final RepositoryEncryptionModel encryption;
    private ClusterSession shown;

    public ArchivingViewModel(ConsoleModel model, Background background) {
        this.model = model;
        this.background = background;
        this.encryption = new RepositoryEncryptionModel(model, background);
        hours.addListener((obs, was, now) -> refresh());
        archiveTimeoutSeconds.addListener((obs, was, now) -> refresh());
    }

    public ObservableList<SettingComparison> settings() {
        return settings;
    }

    public ObservableList<Finding> findings() {
        return findings;
    }

    public ObservableList<HourlyCount> activity() {
        return activity;
    }

    public ReadOnlyObjectProperty<ArchiverStats> statsProperty() {
        return stats.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty verifySummaryProperty() {
        return verifySummary.getReadOnlyProperty();
    }

    /** How the archive is encrypted, and the key file it asks for when the profile gives none. */
    public RepositoryEncryptionModel encryption() {
        return encryption;
    }

    /** What the page says instead of data (no profile, not read yet, reading...). */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ObjectProperty<Compression> compressionProperty() {
        return compression;
    }

    public IntegerProperty archiveTimeoutSecondsProperty() {
        return archiveTimeoutSeconds;
    }

    /** How many hours the chart covers (24 or 48). */
    public IntegerProperty hoursProperty() {
        return hours;
    }

    /** True when applying now changes wal_level or archive_mode, which only a server restart puts into effect. */
    public boolean applyNeedsRestart() {
        return settings.stream().anyMatch(SettingComparison::restartOnApply);
    }

    /** The settings Apply would write (those not already satisfied). */
    public List<SettingComparison> pendingChanges() {
        return settings.stream().filter(s -> !s.satisfied()).toList();
    }

    /**
     * Reads settings, statistics and the per-hour activity again, once the archive's encryption is
     * known: an encrypted archive without its key is not read, and the page asks for the key.
     */
    @Override
    public void refresh() {
        Optional<ClusterSession> s = model.session();
        if (s.isEmpty()) {
            clear("No cluster profile: add one under Settings.");
            return;
        }
        ClusterSession session = s.get();
        if (session != shown) {
            // another cluster: the last verification was about the previous one
            findings.clear();
            verifySummary.set("Not verified yet.");
            shown = session;
        }
        if (!session.hasArchive()) {
            clear("The profile " + session.name() + " has no archive directory: set one under Settings > Profiles.");
            return;
        }
        state.set("reading " + session.name() + "...");
        busy.set(true);
        encryption.load(session, () -> read(session), () -> {
            busy.set(false);
            state.set("");
        });
    }

    private void read(ClusterSession session) {
        int h = hours.get();
        Compression c = compression.get();
        Duration timeout = Duration.ofSeconds(archiveTimeoutSeconds.get());
        background.submit("Reading archiving state of " + session.name(), (p, cancel) -> {
            // the service opens the repository: never on the FX thread
            ArchivingService service = session.archiving();
            return new Snapshot(service.compare(service.generate(c, timeout)), service.stats(), service.activity(h));
        }, snap -> {
            busy.set(false);
            if (model.session().orElse(null) != session) {
                return;
            }
            settings.setAll(snap.settings());
            stats.set(snap.stats());
            activity.setAll(snap.activity());
            state.set("");
        }, e -> {
            busy.set(false);
            state.set("Could not read the server's archiving state; the notice says why.");
        });
    }

    /** Forgets the previous cluster's settings, statistics and findings; a read still running for it is dropped. */
    @Override
    public void sessionChanged() {
        encryption.clear();
        clear("");
    }

    /** Installs the script and writes the settings; restarts the server only when asked to. */
    public void apply(boolean restart) {
        Optional<ClusterSession> s = model.session();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        Compression chosen = compression.get();
        Duration timeout = Duration.ofSeconds(archiveTimeoutSeconds.get());
        busy.set(true);
        background.submit("Applying archiving settings to " + session.name(), (p, c) -> {
            ArchivingService service = session.archiving();
            return service.apply(service.generate(chosen, timeout), restart, Optional.empty());
        }, r -> {
            busy.set(false);
            model.notify(applied(r));
            refresh();
        }, e -> busy.set(false));
    }

    static Notice applied(ApplyResult r) {
        String changed = r.changed().isEmpty() ? "Settings already in place" : "Changed " + String.join(", ", r.changed());
        if (!r.pendingRestart().isEmpty()) {
            return new Notice(Notice.Level.WARNING, changed + ". Restart needed: " + String.join(", ", r.pendingRestart())
                    + " take effect only after a server restart; archiving is not active until then.",
                    "restart the server (or Apply again and choose restart), then Verify", java.time.Instant.now());
        }
        return Notice.success(changed + (r.restarted() ? "; server restarted" : "") + ". Verify proves a segment reaches the archive.");
    }

    /** Forces a segment switch and checks every part of archiving; the findings replace the last ones. */
    public void verify() {
        Optional<ClusterSession> s = model.session();
        if (s.isEmpty()) {
            return;
        }
        ClusterSession session = s.get();
        busy.set(true);
        verifySummary.set("verifying (forces a WAL segment switch and waits up to " + VERIFY_WAIT.toSeconds() + " s)...");
        background.submit("Verifying archiving of " + session.name(),
                (p, c) -> session.archiving().verify(VERIFY_WAIT), list -> {
            busy.set(false);
            findings.setAll(list);
            verifySummary.set(summary(list));
            refresh();
        }, e -> {
            busy.set(false);
            verifySummary.set("Verification could not run; the notice says why.");
        });
    }

    static String summary(List<Finding> list) {
        long fails = list.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        long warns = list.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        return fails > 0 ? fails + " failed, " + warns + " warnings" : warns > 0 ? "Passed with " + warns + " warnings"
                : "All " + list.size() + " checks passed";
    }

    private void clear(String why) {
        if (!why.isEmpty()) {
            encryption.clear();
        }
        shown = null;
        settings.clear();
        findings.clear();
        activity.clear();
        stats.set(null);
        verifySummary.set("Not verified yet.");
        state.set(why);
    }
}
