package io.pitrconsole.ui.settings;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionCheck;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.ServerInfo;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.session.ClusterServices;
import io.pitrconsole.ui.Background;
import java.util.List;
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
 * The state of the profile dialog: one property per profile field, and the outcomes of "Test
 * connection" and "Test archive". Turning it into a Profile validates it; there is no password
 * field, since passwords come from ~/.pgpass or the file PGPASSFILE names, nor an S3 key field,
 * since keys come from the environment and ~/.aws as the AWS tools find them; an encrypted archive's
 * key is named by its file's path, never read into the profile.
 */
public final class ProfileForm {
    private final String originalName;
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty host = new SimpleStringProperty("");
    private final StringProperty port = new SimpleStringProperty("");
    private final StringProperty user = new SimpleStringProperty("");
    private final StringProperty database = new SimpleStringProperty("");
    private final StringProperty dataDirectory = new SimpleStringProperty("");
    private final StringProperty osUser = new SimpleStringProperty("");
    private final StringProperty archive = new SimpleStringProperty("");
    private final StringProperty pgBin = new SimpleStringProperty("");
    private final StringProperty s3Endpoint = new SimpleStringProperty("");
    private final StringProperty s3Region = new SimpleStringProperty("");
    private final BooleanProperty s3PathStyle = new SimpleBooleanProperty();
    private final StringProperty encryptionKeyFile = new SimpleStringProperty("");
    private final StringProperty encryptionOldKeyFiles = new SimpleStringProperty("");
    private final BooleanProperty makeDefault = new SimpleBooleanProperty();
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper testPassed = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper testing = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper archiveResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper archivePassed = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper testingArchive = new ReadOnlyBooleanWrapper();

    private ProfileForm(Profile p) {
        this.originalName = p == null ? null : p.name();
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
            s3Endpoint.set(text(p.s3Endpoint()));
            s3Region.set(text(p.s3Region()));
            s3PathStyle.set(Boolean.TRUE.equals(p.s3PathStyle()));
            encryptionKeyFile.set(text(p.encryptionKeyFile()));
            encryptionOldKeyFiles.set(String.join("\n", p.encryptionOldKeyFiles()));
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

    /** The S3 service's URL for an s3:// archive; empty for AWS itself. */
    public StringProperty s3Endpoint() {
        return s3Endpoint;
    }

    /** The S3 signing region; empty for AWS_REGION or us-east-1. */
    public StringProperty s3Region() {
        return s3Region;
    }

    /** The paths of older key files, one a line, that read files written before a key change; empty when there are none. */
    public StringProperty encryptionOldKeyFiles() {
        return encryptionOldKeyFiles;
    }

    /** Adds a path to the older key files, unless it is listed. */
    public void addOldKeyFile(String path) {
        List<String> now = new java.util.ArrayList<>(oldKeyFiles());
        if (!now.contains(path)) {
            now.add(path);
            encryptionOldKeyFiles.set(String.join("\n", now));
        }
    }

    private List<String> oldKeyFiles() {
        return encryptionOldKeyFiles.get() == null ? List.of()
                : encryptionOldKeyFiles.get().lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().toList();
    }

    /** The path of the encrypted archive's key file (an age identity); empty when the archive is not encrypted. */
    public StringProperty encryptionKeyFile() {
        return encryptionKeyFile;
    }

    /** Whether the bucket is addressed in the path (MinIO, Ceph, s3proxy) rather than in the host name. */
    public BooleanProperty s3PathStyle() {
        return s3PathStyle;
    }

    /** Whether the archive names a bucket, so that the S3 fields apply. */
    public boolean isBucket() {
        return text(archive.get()).strip().regionMatches(true, 0, "s3://", 0, 5);
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

    public ReadOnlyStringProperty archiveResultProperty() {
        return archiveResult.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty archivePassedProperty() {
        return archivePassed.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testingArchiveProperty() {
        return testingArchive.getReadOnlyProperty();
    }

    /** The profile the fields describe; a PitrException with a hint when a value cannot work. */
    public Profile toProfile() {
        String n = name.get() == null ? "" : name.get().trim();
        if (n.isEmpty()) {
            throw new PitrException("the profile needs a name", "give it a short name such as 'prod' or 'db1'");
        }
        boolean bucket = isBucket();
        if (bucket) {
            // the bucket name and the endpoint are checked now, not when a page first opens the archive
            RepositoryLocation.parse(archive.get().strip(), s3Options());
        }
        // a directory's profile keeps no S3 fields the dialog no longer shows
        return new Profile(n, blankToNull(host.get()), portNumber(), blankToNull(user.get()), blankToNull(database.get()),
                blankToNull(dataDirectory.get()), blankToNull(osUser.get()), blankToNull(archive.get()), blankToNull(pgBin.get()),
                bucket ? blankToNull(s3Endpoint.get()) : null, bucket ? blankToNull(s3Region.get()) : null,
                bucket && s3PathStyle.get() ? Boolean.TRUE : null, blankToNull(encryptionKeyFile.get()), oldKeyFiles());
    }

    /** How to reach the S3 service of an s3:// archive, as the fields say now. */
    public S3Options s3Options() {
        return new S3Options(s3Endpoint.get(), s3Region.get(), s3PathStyle.get());
    }

    /**
     * Lists the archive the fields name, in the background, with the credentials of the console's
     * environment and the key file named; shows how many backups and WAL files it holds and the key
     * it is encrypted with, or what is wrong (the service layer's words: endpoint unreachable,
     * credentials refused, no such bucket, access denied, encrypted with a key not given).
     */
    public void testArchive(Background background, Map<String, String> env) {
        String location = text(archive.get());
        S3Options s3 = s3Options();
        String keyFile = blankToNull(encryptionKeyFile.get());
        List<String> oldKeyFiles = oldKeyFiles();
        testingArchive.set(true);
        archivePassed.set(false);
        archiveResult.set("listing " + location.strip() + "...");
        background.submit("Testing archive " + location.strip(), (p, c) -> ClusterServices.tryRepository(location, s3, keyFile, oldKeyFiles, env), reach -> {
            testingArchive.set(false);
            archivePassed.set(true);
            archiveResult.set(reach.describe());
        }, e -> {
            testingArchive.set(false);
            archivePassed.set(false);
            archiveResult.set(explain(e, "the archive could not be listed"));
        });
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
        testResult.set(explain(e, "the connection failed"));
    }

    private static String explain(Throwable e, String otherwise) {
        if (e instanceof PitrException p) {
            return p.getMessage() + (p.consoleHint().isBlank() ? "" : "\nHint: " + p.consoleHint());
        }
        return e == null || e.getMessage() == null ? otherwise : e.getMessage();
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
