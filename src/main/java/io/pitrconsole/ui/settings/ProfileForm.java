package io.pitrconsole.ui.settings;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionCheck;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.ServerInfo;
import io.pitrconsole.ui.Background;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The state of the profile dialog: one text property per profile field, and the outcome of
 * "Test connection". Turning it into a Profile validates it; there is no password field, since
 * passwords come from ~/.pgpass or the file PGPASSFILE names.
 */
public final class ProfileForm {
    private final String originalName;
    // not on the form yet: kept as they were, so that saving from the console does not drop them
    private final String s3Endpoint;
    private final String s3Region;
    private final Boolean s3PathStyle;
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty host = new SimpleStringProperty("");
    private final StringProperty port = new SimpleStringProperty("");
    private final StringProperty user = new SimpleStringProperty("");
    private final StringProperty database = new SimpleStringProperty("");
    private final StringProperty dataDirectory = new SimpleStringProperty("");
    private final StringProperty osUser = new SimpleStringProperty("");
    private final StringProperty archive = new SimpleStringProperty("");
    private final StringProperty pgBin = new SimpleStringProperty("");
    private final BooleanProperty makeDefault = new SimpleBooleanProperty();
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper testPassed = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper testing = new ReadOnlyBooleanWrapper();

    private ProfileForm(Profile p) {
        this.originalName = p == null ? null : p.name();
        this.s3Endpoint = p == null ? null : p.s3Endpoint();
        this.s3Region = p == null ? null : p.s3Region();
        this.s3PathStyle = p == null ? null : p.s3PathStyle();
        if (p != null) {
            name.set(text(p.name()));
            host.set(text(p.host()));
            port.set(p.port() == null ? "" : String.valueOf(p.port()));
            user.set(text(p.user()));
            database.set(text(p.database()));
            dataDirectory.set(text(p.dataDirectory()));
            osUser.set(text(p.osUser()));
            archive.set(text(p.archive()));
            pgBin.set(text(p.pgBin()));
        }
    }

    /** An empty form for a new profile. */
    public static ProfileForm create() {
        return new ProfileForm(null);
    }

    /** A form holding an existing profile's values. */
    public static ProfileForm edit(Profile p) {
        return new ProfileForm(p);
    }

    /** The name the profile had when editing started; null for a new one. */
    public String originalName() {
        return originalName;
    }

    public StringProperty name() {
        return name;
    }

    public StringProperty host() {
        return host;
    }

    public StringProperty port() {
        return port;
    }

    public StringProperty user() {
        return user;
    }

    public StringProperty database() {
        return database;
    }

    public StringProperty dataDirectory() {
        return dataDirectory;
    }

    public StringProperty osUser() {
        return osUser;
    }

    public StringProperty archive() {
        return archive;
    }

    public StringProperty pgBin() {
        return pgBin;
    }

    public BooleanProperty makeDefault() {
        return makeDefault;
    }

    public ReadOnlyStringProperty testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testPassedProperty() {
        return testPassed.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing.getReadOnlyProperty();
    }

    /** The profile the fields describe; a PitrException with a hint when a value cannot work. */
    public Profile toProfile() {
        String n = name.get() == null ? "" : name.get().trim();
        if (n.isEmpty()) {
            throw new PitrException("the profile needs a name", "give it a short name such as 'prod' or 'db1'");
        }
        return new Profile(n, blankToNull(host.get()), portNumber(), blankToNull(user.get()), blankToNull(database.get()),
                blankToNull(dataDirectory.get()), blankToNull(osUser.get()), blankToNull(archive.get()), blankToNull(pgBin.get()),
                s3Endpoint, s3Region, s3PathStyle);
    }

    /** Where the form's values connect, with the libpq environment filling what is left empty (as the console resolves a saved profile). */
    public ConnectionSettings connection(Map<String, String> env) {
        Profile draft = new Profile(text(name.get()).trim(), blankToNull(host.get()), portNumber(), blankToNull(user.get()),
                blankToNull(database.get()), null, null, null, null);
        return ProfileResolver.forConsole(draft, env).connection(ProfileResolver.Overrides.NONE);
    }

    /** Connects with the form's values in the background and shows the server's version and timeline, or why not. */
    public void testConnection(Background background, Map<String, String> env) {
        ConnectionSettings target;
        try {
            target = connection(env);
        } catch (PitrException e) {
            showFailure(e);
            return;
        }
        testing.set(true);
        testPassed.set(false);
        testResult.set("connecting to " + target.describe() + "...");
        background.submit("Testing connection to " + target.describe(), (p, c) -> ConnectionCheck.run(target), reached -> {
            ServerInfo info = reached.server();
            testing.set(false);
            testPassed.set(true);
            testResult.set("Connected to " + target.describe() + ": PostgreSQL " + info.version() + ", timeline " + info.timeline()
                    + (info.dataDirectory().isBlank() ? "" : ", data directory " + info.dataDirectory()));
        }, e -> {
            testing.set(false);
            showFailure(e);
        });
    }

    private void showFailure(Throwable e) {
        testPassed.set(false);
        if (e instanceof PitrException p) {
            testResult.set(p.getMessage() + (p.consoleHint().isBlank() ? "" : "\nHint: " + p.consoleHint()));
        } else {
            testResult.set(e == null ? "the connection failed" : String.valueOf(e.getMessage()));
        }
    }

    private Integer portNumber() {
        String p = port.get() == null ? "" : port.get().trim();
        if (p.isEmpty()) {
            return null;
        }
        try {
            int v = Integer.parseInt(p);
            if (v >= 1 && v <= 65535) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as an out-of-range number
        }
        throw new PitrException("port '" + p + "' is not a TCP port", "use a number from 1 to 65535, or leave it empty for 5432/PGPORT");
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
