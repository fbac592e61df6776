package io.pitrconsole.ui.backups;

import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.OneAtATime;
import io.pitrconsole.ui.PageModel;
import io.pitrconsole.ui.RepositoryEncryptionModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * State of the backups view: the archive's backups (filtered), the selected one's details, and the
 * create / verify / delete commands, one at a time, each a job of the console's Background.
 */
public final class BackupsViewModel implements PageModel {
    private final ConsoleModel model;
    private final Background background;
    private final ObservableList<BackupRow> rows = FXCollections.observableArrayList();
    private final FilteredList<BackupRow> filtered = new FilteredList<>(rows);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<BackupRow> selected = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<BackupDetails> details = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper emptyState = new ReadOnlyStringWrapper("");
    private final OneAtATime commands;
    private final Map<String, List<VerifyProblem>> verifyProblems = new ConcurrentHashMap<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final RepositoryEncryptionModel encryption;
    private Map<String, List<RecoveryWindow>> windows = Map.of();
    private int loads;

    public BackupsViewModel(ConsoleModel model, Background background) {
        this.model = model;
        this.background = background;
        this.commands = new OneAtATime(background, this::refresh);
        this.encryption = new RepositoryEncryptionModel(model, background);
        filter.addListener((obs, old, f) -> filtered.setPredicate(r -> r.matches(f)));
        selected.addListener((obs, old, row) -> loadDetails());
    }

    /** The rows the table shows: all backups that match the filter. */
    public ObservableList<BackupRow> rows() {
        return filtered;
    }

    public ObservableList<BackupRow> allRows() {
        return rows;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<BackupRow> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<BackupDetails> detailsProperty() {
        return details.getReadOnlyProperty();
    }

    /** How the archive is encrypted, and the key file it asks for when the profile gives none. */
    public RepositoryEncryptionModel encryption() {
        return encryption;
    }

    /** Why there is no table (no profile, no archive directory); empty when the table is shown. */
    public ReadOnlyStringProperty emptyStateProperty() {
        return emptyState.getReadOnlyProperty();
    }

    /**
     * True while the list, the recovery windows or the selected backup's details are being read
     * (the page shows a spinner): a reload replaces the rows, so a row picked meanwhile may be redrawn.
     */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The create or verify task the page shows progress for; null when none runs. */
    public ReadOnlyObjectProperty<Background.Job> activeTaskProperty() {
        return commands.activeProperty();
    }

    /** The compression new backups get unless the user picks another (a preference). */
    public Compression defaultCompression() {
        try {
            return Compression.parse(model.preferencesProperty().get().completed().defaultCompression());
        } catch (PitrException e) {
            return Compression.ZSTD;
        }
    }

    /** Whether there is an archive to back up into, and its key when it is encrypted. */
    public boolean canCreate() {
        return model.session().map(ClusterSession::hasArchive).orElse(false) && !encryption.keyNeededProperty().get();
    }

    /**
     * Reloads the list of backups (and, in a second task, their recovery windows), once the
     * archive's encryption is known: an encrypted archive without its key lists nothing and asks for it.
     */
    @Override
    public void refresh() {
        ClusterSession s = model.session().orElse(null);
        if (s == null) {
            clear("No cluster profile. Add one in the status bar's profile picker, or create the practice cluster on the Dashboard.");
            return;
        }
        if (!s.hasArchive()) {
            clear("The profile '" + s.name() + "' has no archive directory, so there are no backups to show. "
                    + "Set one for the profile to take backups.");
            return;
        }
        emptyState.set("");
        counted(encryption.load(s, () -> list(s), () -> clear("")));
    }

    private void list(ClusterSession s) {
        counted(background.submit("Listing backups", (p, c) -> s.backups().list(), entries -> {
            if (model.session().orElse(null) == s) {
                show(entries);
            }
        }));
        counted(background.submit("Computing recovery windows", (p, c) -> windowsOf(s, p, c), w -> {
            if (model.session().orElse(null) == s) {
                windows = w;
                loadDetails();
            }
        }));
    }

    /** Forgets the previous cluster's backups and verification results; loads still running for it are dropped. */
    @Override
    public void sessionChanged() {
        verifyProblems.clear();
        encryption.clear();
        clear("");
    }

    private static Map<String, List<RecoveryWindow>> windowsOf(ClusterSession s, ProgressListener p, Cancellation c) {
        try {
            return s.windows().windows(p, c).windows().stream().collect(Collectors.groupingBy(RecoveryWindow::backupId));
        } catch (PitrException e) {
            // an archive without WAL yet has no windows; the details then say "not known"
            return Map.of();
        }
    }

    private void clear(String why) {
        if (!why.isEmpty()) {
            encryption.clear();
        }
        emptyState.set(why);
        rows.clear();
        selected.set(null);
        details.set(null);
        windows = Map.of();
    }

    private void show(List<CatalogEntry> entries) {
        String keep = selected.get() == null ? null : selected.get().id();
        rows.setAll(entries.stream().map(BackupRow::of).toList());
        // a fresh row object, so the selection listener reloads the details
        selected.set(rows.stream().filter(r -> r.id().equals(keep)).findFirst().orElse(null));
    }

    private void loadDetails() {
        BackupRow row = selected.get();
        ClusterSession s = model.session().orElse(null);
        if (row == null || s == null || BackupRow.UNREADABLE.equals(row.status())) {
            details.set(null);
            return;
        }
        List<RecoveryWindow> w = windows.getOrDefault(row.id(), List.of());
        List<VerifyProblem> problems = verifyProblems.getOrDefault(row.id(), List.of());
        counted(background.submit("Reading " + row.id(), (p, c) -> {
            BackupService service = s.backups();
            return BackupDetails.load(service, service.get(row.id()), w, problems);
        }, d -> {
            if (selected.get() != null && selected.get().id().equals(d.record().id())) {
                details.set(d);
            }
        }));
    }

    /** Counts a load until it ends, however it ends (its result is shown first). */
    private void counted(Background.Job load) {
        loads++;
        loading.set(true);
        load.whenDone(() -> {
            loads--;
            loading.set(loads > 0);
        });
    }

    /** Takes a base backup with live progress; the returned job may be cancelled (partial files are removed). */
    public Background.Job create(Compression compression, String label, String maxRate) {
        ClusterSession s = model.session().orElseThrow();
        BackupRequest request = BackupRequest.defaults(s.connection()).withCompression(compression)
                .withLabel(blank(label) ? null : label.trim()).withMaxRate(blank(maxRate) ? null : maxRate.trim());
        return track("Backing up " + s.name(), (p, c) -> s.backups().create(request, p, c), outcome -> {
            outcome.notices().forEach(n -> model.notify(Notice.info(n)));
            model.notify(Notice.success("Backup " + outcome.backup().id() + " complete"));
        });
    }

    /** Checks a backup against its manifest, file by file; corrupt files then show in the details. */
    public Background.Job verify(String id) {
        ClusterSession s = model.session().orElseThrow();
        return track("Verifying " + id, (p, c) -> {
            VerifyReport report = s.backups().verify(id, p, c);
            // before the reload that follows, so the details list the corrupt files
            verifyProblems.put(id, report.problems());
            return report;
        }, report -> {
            model.notify(report.ok()
                    ? Notice.success(id + " verified: all " + report.filesChecked() + " files match the manifest")
                    : new Notice(Notice.Level.ERROR, id + " is corrupt: " + report.problems().size() + " problems",
                            "take a new backup; the details panel lists the files", java.time.Instant.now()));
        });
    }

    /** Deletes a backup directory for good (the page asks for confirmation first). */
    public Background.Job delete(String id) {
        ClusterSession s = model.session().orElseThrow();
        return track("Deleting " + id, (p, c) -> {
            s.backups().delete(id);
            verifyProblems.remove(id);
            return null;
        }, v -> model.notify(Notice.success("Deleted " + id)));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private <T> Background.Job track(String title, Background.Work<T> work, java.util.function.Consumer<T> onSuccess) {
        return commands.run(title, work, onSuccess);
    }
}
