package io.pitrconsole.ui.restore;

import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.nio.file.Path;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Mode step's fields: a rehearsal (port, directory, keep it running) or in place (data
 * directory, and the profile name typed out to confirm), and why they do not allow a start yet.
 */
public final class ModeForm {
    private final ObjectProperty<RestoreBackend> backend;
    private final ObjectProperty<RestoreMode> mode = new SimpleObjectProperty<>(RestoreMode.REHEARSAL);
    private final StringProperty sandboxPort = new SimpleStringProperty("");
    private final StringProperty sandboxDir = new SimpleStringProperty("");
    private final BooleanProperty keepRunning = new SimpleBooleanProperty();
    private final StringProperty dataDir = new SimpleStringProperty("");
    private final StringProperty confirmation = new SimpleStringProperty("");
    private final StringProperty verifyDatabase = new SimpleStringProperty("postgres");
    private final StringProperty verifySchema = new SimpleStringProperty("public");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    ModeForm(ObjectProperty<RestoreBackend> backend) {
        this.backend = backend;
        for (Observable o : new Observable[] {mode, sandboxPort, sandboxDir, dataDir, confirmation, verifyDatabase, verifySchema, backend}) {
            o.addListener(x -> check());
        }
        check();
    }

    public ObjectProperty<RestoreMode> modeProperty() {
        return mode;
    }

    /** Rehearsal: the sandbox server's port; empty for a free one. */
    public StringProperty sandboxPortProperty() {
        return sandboxPort;
    }

    /** Rehearsal: a new or empty directory; empty for a new temporary one. */
    public StringProperty sandboxDirProperty() {
        return sandboxDir;
    }

    public BooleanProperty keepRunningProperty() {
        return keepRunning;
    }

    /** In place: the data directory restored over (the profile's, to start with). */
    public StringProperty dataDirProperty() {
        return dataDir;
    }

    /** In place: the user types the profile name here to confirm. */
    public StringProperty confirmationProperty() {
        return confirmation;
    }

    /** The database the checks connect to (the profile's, to start with). */
    public StringProperty verifyDatabaseProperty() {
        return verifyDatabase;
    }

    /** The schema whose tables get a row count in the report. */
    public StringProperty verifySchemaProperty() {
        return verifySchema;
    }

    /** Why the restore cannot start yet; empty when it can. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Back to a fresh start for the given profile: its data directory, no confirmation typed. */
    void reset() {
        confirmation.set("");
        dataDir.set(backend.get() == null ? "" : backend.get().dataDirectory().map(Path::toString).orElse(""));
        if (backend.get() != null && backend.get().connection().database() != null) {
            verifyDatabase.set(backend.get().connection().database());
        }
    }

    /** The request these fields describe, for the target and backup chosen on the earlier steps. */
    RestoreRequest request(RecoveryTarget t, String backupId) {
        RestoreRequest r;
        if (mode.get() == RestoreMode.IN_PLACE) {
            r = RestoreRequest.inPlace(t, Path.of(dataDir.get().trim()));
        } else {
            r = RestoreRequest.rehearsal(t).keeping(keepRunning.get())
                    .into(sandboxDir.get().isBlank() ? null : Path.of(sandboxDir.get().trim()))
                    .onPort(sandboxPort.get().isBlank() ? null : Integer.valueOf(sandboxPort.get().trim()));
        }
        return r.fromBackup(backupId).connectingWith(backend.get().connection())
                .verifying(verifyDatabase.get().trim(), verifySchema.get().trim());
    }

    private static boolean blank(StringProperty p) {
        return p.get() == null || p.get().isBlank();
    }

    private void check() {
        RestoreBackend b = backend.get();
        String why = "";
        if (b == null) {
            why = "no cluster profile is active";
        } else if (mode.get() == RestoreMode.IN_PLACE) {
            if (dataDir.get() == null || dataDir.get().isBlank()) {
                why = "name the data directory to restore over";
            } else if (!b.clusterName().equals(confirmation.get() == null ? "" : confirmation.get().trim())) {
                why = "type the profile name '" + b.clusterName() + "' to confirm";
            }
        } else if (blank(verifyDatabase) || blank(verifySchema)) {
            why = "name the database and the schema the checks count rows in";
        } else if (!sandboxPort.get().isBlank()) {
            String p = sandboxPort.get().trim();
            if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1024 || Integer.parseInt(p) > 65535) {
                why = "the port must be a number from 1024 to 65535 (or empty for a free one)";
            }
        }
        error.set(why);
    }
}
