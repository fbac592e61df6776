package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupPlacement;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.BackupTool;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.ServerEncryption;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A repository whose backup files and WAL are encrypted with age: what every service reads through
 * it is plain, what it stores is encrypted, whatever kind of repository is underneath. Opened only
 * through {@link #open}, which holds a repository and the keys given to their agreement: an
 * encrypted repository is never read without its key, nor is a key given to a plain repository
 * that already holds files.
 */
public final class EncryptedRepository implements Repository, AutoCloseable {
    private final Repository inner;
    private final AgeProgram age;
    private final Keyring keys;
    private final Path staging;
    private final Clock clock;
    private volatile RepositoryEncryption recorded;
    private final EncryptedWalStore wal;
    private final EncryptedBackupStore backups;

    private EncryptedRepository(Repository inner, AgeProgram age, Keyring keys, Path staging, Clock clock, RepositoryEncryption recorded) {
        this.inner = inner;
        this.age = age;
        this.keys = keys;
        this.staging = staging;
        this.clock = clock;
        this.recorded = recorded;
        this.wal = new EncryptedWalStore(inner.wal(), this);
        this.backups = new EncryptedBackupStore(inner.backups(), this);
    }

    /** What the repository's own record says of its encryption; empty for a plain repository. */
    public static Optional<RepositoryEncryption> recorded(Repository repository) {
        try {
            return RepositoryEncryption.parse(repository.read(RepositoryDocument.ENCRYPTION), repository.where(RepositoryDocument.ENCRYPTION));
        } catch (IOException e) {
            throw new PitrException("cannot read " + repository.where(RepositoryDocument.ENCRYPTION) + ": " + e.getMessage(),
                    "check that this user may read the repository");
        }
    }

    /**
     * The repository as its readers use it. Without keys: the repository itself, unless it is
     * encrypted (a PitrException naming the key it needs). With keys: an encrypted repository they
     * open (the current key among them), or a plain repository that holds nothing yet, which is
     * recorded as encrypted at its first write. {@code staging} is a private directory on this
     * machine where a new backup waits to be encrypted.
     */
    public static Repository open(Repository inner, Optional<Keyring> keys, AgeProgram age, Path staging, Clock clock) {
        if (keys.isEmpty()) {
            if (inner.location().isPgBackRest()) {
                return inner;
            }
            Optional<byte[]> stored;
            try {
                stored = inner.read(RepositoryDocument.ENCRYPTION);
            } catch (IOException | RuntimeException unreachable) {
                // the repository's own first use says what is wrong with reaching it, in its own words
                return inner;
            }
            RepositoryEncryption.parse(stored, inner.where(RepositoryDocument.ENCRYPTION)).ifPresent(e -> {
                throw new EncryptionKeyNeeded("the repository " + inner.location() + " is encrypted (key fingerprint " + e.current().fingerprint()
                        + ") and no key was given",
                        Hint.of("give its key file with --encryption-key-file FILE, in the profile, or in PITR_ENCRYPTION_KEY_FILE",
                                "choose the repository's key file (fingerprint " + e.current().fingerprint() + ") for this profile in Settings"),
                        e.current().keyFingerprint());
            });
            return inner;
        }
        if (inner.location().isPgBackRest()) {
            throw new PitrException("a pgBackRest stanza is not encrypted by the console", ServerEncryption.UNSUPPORTED);
        }
        // what a killed backup (plain) or key rotation (encrypted) of this user left on this machine
        StagingDirs.sweepLeftovers(staging);
        Optional<RepositoryEncryption> recorded = recorded(inner);
        if (recorded.isPresent()) {
            KeyFingerprint current = recorded.get().current().keyFingerprint();
            if (keys.get().find(current).isEmpty()) {
                throw keys.get().wrongKey("the repository " + inner.location(), current);
            }
            List<KeyFingerprint> missing = recorded.get().keys().stream().map(RepositoryEncryption.KeyEntry::keyFingerprint)
                    .filter(f -> keys.get().find(f).isEmpty()).toList();
            if (!missing.isEmpty()) {
                // files stored before a key was added stay under the older key until `key rotate`: unreadable without it
                List<String> older = missing.stream().map(KeyFingerprint::value).toList();
                throw new EncryptionKeyNeeded("the repository " + inner.location() + " also holds files encrypted to the older key"
                        + (older.size() > 1 ? "s " : " ") + String.join(", ", older) + ", which " + (older.size() > 1 ? "were" : "was") + " not given",
                        Hint.of("give each older key file with --encryption-old-key-file FILE, or list it in the profile's"
                                        + " encryptionOldKeyFiles (`pitr-console key show FILE` prints a key file's fingerprint); `key rotate`"
                                        + " re-encrypts every file to the current key, after which it alone reads them",
                                "add the older key file whose fingerprint is " + missing.get(0) + " to this profile (\"Choose key file...\","
                                        + " or Settings' older key files); `key rotate` on the command line re-encrypts every file to the current key"),
                        missing.get(0), true);
            }
            return new EncryptedRepository(inner, age, keys.get(), staging, clock, recorded.get());
        }
        requireEmpty(inner);
        return new EncryptedRepository(inner, age, keys.get(), staging, clock, null);
    }

    private static void requireEmpty(Repository inner) {
        int backups;
        int walFiles;
        try {
            backups = inner.backups().ids().size();
        } catch (IOException e) {
            throw new PitrException("cannot list the backups of " + inner.location() + ": " + e.getMessage(), "check that this user may read it");
        }
        walFiles = inner.wal().list().size();
        if (backups > 0 || walFiles > 0) {
            throw new PitrException("the repository " + inner.location() + " is not encrypted, and it already holds " + backups
                    + " backups and " + walFiles + " WAL files",
                    Hint.of("leave out --encryption-key-file (and PITR_ENCRYPTION_KEY_FILE) for this repository; a repository is encrypted"
                                    + " from its first backup, so start a new one to encrypt",
                            "remove the key file from this profile in Settings; a repository is encrypted from its first backup"));
        }
    }

    /** The record of this repository's encryption, as stored or as it will be at the first write. */
    public RepositoryEncryption encryption() {
        RepositoryEncryption r = recorded;
        return r != null ? r : RepositoryEncryption.first(keys.current(), clock.instant());
    }

    /** The keys this repository was opened with. */
    public Keyring keys() {
        return keys;
    }

    AgeProgram age() {
        return age;
    }

    Path staging() {
        return staging;
    }

    /** Opens a stored file's bytes as the kind keeps them. */
    interface StoredFile {
        InputStream open() throws IOException;
    }

    /**
     * A stored file's plain bytes, decrypted with {@code with}: age reads the file in place when the
     * kind keeps it on this machine as a regular file, else the kind opens it (and says, in its
     * words, when it is missing or not a regular file).
     */
    InputStream decrypting(Optional<Path> local, StoredFile stored, Keyring with, String what) throws IOException {
        if (local.isPresent() && Files.isRegularFile(local.get())) {
            return age.decrypting(local.get(), with, what);
        }
        return age.decrypting(stored.open(), with, what);
    }

    /** The recipients new files are encrypted to: the repository's current key. */
    List<String> recipients() {
        return List.of(encryption().current().recipient());
    }

    ServerEncryption serverEncryption() {
        return new ServerEncryption(age.path(), recipients(), keys.files());
    }

    /** Writes encryption.json before the first encrypted file, unless it is there; refuses when another key got there first. */
    void recordEncryption() {
        if (recorded != null) {
            return;
        }
        synchronized (this) {
            if (recorded != null) {
                return;
            }
            RepositoryEncryption mine = RepositoryEncryption.first(keys.current(), clock.instant());
            try {
                byte[] written = inner.update(RepositoryDocument.ENCRYPTION, stored -> stored.orElse(mine.toJson()));
                RepositoryEncryption now = RepositoryEncryption.parse(Optional.of(written), inner.where(RepositoryDocument.ENCRYPTION)).orElseThrow();
                if (keys.find(now.current().keyFingerprint()).isEmpty()) {
                    throw keys.wrongKey("the repository " + inner.location(), now.current().keyFingerprint());
                }
                recorded = now;
                // a script installed while the repository was plain would go on archiving plain WAL
                // into it: from now on the server encrypts, with the compression it was given
                KeyChange.installedScript(this).ifPresent(label -> wal.archiveCommand().install(label));
            } catch (IOException e) {
                throw new PitrException("cannot write " + inner.where(RepositoryDocument.ENCRYPTION) + ": " + e.getMessage(),
                        "check that this user may write to the repository");
            }
        }
    }

    /** Replaces the record (a key change); only the key change itself calls this. */
    void replaceEncryption(Function<RepositoryEncryption, RepositoryEncryption> change) throws IOException {
        synchronized (this) {
            byte[] written = inner.update(RepositoryDocument.ENCRYPTION, stored -> change.apply(
                    RepositoryEncryption.parse(stored, inner.where(RepositoryDocument.ENCRYPTION)).orElse(encryption())).toJson());
            recorded = RepositoryEncryption.parse(Optional.of(written), inner.where(RepositoryDocument.ENCRYPTION)).orElseThrow();
        }
    }

    /** The repository underneath, whose files are the encrypted ones. */
    Repository stored() {
        return inner;
    }

    /** Closes the repository underneath (a bucket's client). */
    @Override
    public void close() throws Exception {
        if (inner instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Override
    public RepositoryLocation location() {
        return inner.location();
    }

    @Override
    public WalStore wal() {
        return wal;
    }

    @Override
    public BackupStore backups() {
        return backups;
    }

    @Override
    public Path localCache() {
        return inner.localCache();
    }

    /** The private directory new backups wait in (0700, on this machine): never the repository's own .pitr/. */
    @Override
    public Path workDir() {
        return staging;
    }

    @Override
    public void requireReadable() {
        inner.requireReadable();
    }

    @Override
    public void requireWritable() {
        inner.requireWritable();
    }

    @Override
    public RepositoryLock lock(LockUse use, String operation) {
        return inner.lock(use, operation);
    }

    @Override
    public List<LockHolder> holders() {
        return inner.holders();
    }

    @Override
    public List<LeftoverFile> leftovers(Instant now) {
        return inner.leftovers(now);
    }

    @Override
    public void removeLeftover(String name) throws IOException {
        inner.removeLeftover(name);
    }

    @Override
    public Optional<byte[]> read(RepositoryDocument document) throws IOException {
        return inner.read(document);
    }

    @Override
    public void write(RepositoryDocument document, byte[] content) throws IOException {
        inner.write(document, content);
    }

    @Override
    public byte[] update(RepositoryDocument document, java.util.function.Function<Optional<byte[]>, byte[]> change) throws IOException {
        return inner.update(document, change);
    }

    @Override
    public String where(RepositoryDocument document) {
        return inner.where(document);
    }

    @Override
    public Optional<BackupPlacement> placement() {
        return inner.placement();
    }

    @Override
    public Optional<BackupTool> backupTool() {
        return inner.backupTool();
    }

    @Override
    public List<io.pitrconsole.core.Finding> ownStatus() {
        return inner.ownStatus();
    }
}
