package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.WalFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change of an encrypted repository's key. {@link #add} makes a new key the one new files are
 * encrypted to, leaving stored files under the keys they have (readers then give both). {@link #rotate}
 * also re-encrypts every stored backup file and WAL file to the new key, file by file, each replaced
 * in one step, so an interrupted rotation leaves every file whole under the old key or the new one,
 * and running it again goes on where it stopped (a file the new key opens is skipped).
 * Both re-install the console's archive_command script, so the server encrypts to the new key from then on.
 */
public final class KeyChange {
    /** Compression labels the console's archive scripts are rendered with. */
    private static final List<String> SCRIPT_LABELS = List.of("none", "gzip", "zstd", "lz4");
    /** The line of the console's archive scripts that names their compression. */
    private static final Pattern COMPRESS = Pattern.compile("COMPRESS=([a-z0-9]+)");
    /** Passes over the WAL archive: a segment the old script was still writing when the new one was installed shows up in the next. */
    private static final int WAL_PASSES = 3;

    private final Repository repository;
    private final Clock clock;

    /** A key change of {@code repository}, as opened with the key it is encrypted with now and the new key. */
    public KeyChange(Repository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * What a key change did: the key it changed from and to, the files rewritten and those found
     * already under the new key, and the archive_command script re-installed (its compression), if any.
     */
    public record Outcome(KeyFingerprint from, KeyFingerprint to, int walRewritten, int walAlready, int backupFilesRewritten,
                          int backupFilesAlready, Optional<String> archiveScript, List<KeyFingerprint> stillListed) {
    }

    /** Makes the key in {@code newKeyFile} the key new files are encrypted to; stored files stay under their keys. */
    public Outcome add(Path newKeyFile) {
        EncryptedRepository repo = encrypted();
        EncryptionKey newKey = newKey(repo, newKeyFile, false);
        KeyFingerprint from = repo.encryption().current().keyFingerprint();
        try (RepositoryLock lock = repo.lock(LockUse.KEY_CHANGE, "key add " + newKey.fingerprint())) {
            Optional<String> script = installedScript(repo);
            repo.replaceEncryption(e -> e.withCurrent(newKey, clock.instant()));
            reinstall(repo, script);
            return new Outcome(from, newKey.fingerprint(), 0, 0, 0, 0, script,
                    repo.encryption().keys().stream().map(RepositoryEncryption.KeyEntry::keyFingerprint).toList());
        } catch (IOException e) {
            throw new PitrException("cannot write " + repo.where(io.pitrconsole.repository.RepositoryDocument.ENCRYPTION) + ": " + e.getMessage(),
                    "check that this user may write to the repository");
        }
    }

    /**
     * Re-encrypts every backup file and WAL file of the repository to the key in {@code newKeyFile}
     * and makes it the repository's only key. The repository must be opened with every key its
     * files are encrypted to and the new key.
     */
    public Outcome rotate(Path newKeyFile, ProgressListener progress, Cancellation cancellation) {
        EncryptedRepository repo = encrypted();
        EncryptionKey newKey = newKey(repo, newKeyFile, true);
        // resumed, the new key is current already: the change is from the key before it
        KeyFingerprint from = repo.encryption().keys().stream().map(RepositoryEncryption.KeyEntry::keyFingerprint)
                .filter(f -> !f.equals(newKey.fingerprint())).findFirst().orElse(newKey.fingerprint());
        requireEveryListedKey(repo, newKey);
        Keyring onlyNew = Keyring.of(newKey);
        try (RepositoryLock lock = repo.lock(LockUse.KEY_CHANGE, "key rotate to " + newKey.fingerprint())) {
            Optional<String> script = installedScript(repo);
            // from here the console's own writes, and the server's once the script is re-installed, go to the new key
            repo.replaceEncryption(e -> e.withCurrent(newKey, clock.instant()));
            reinstall(repo, script);
            Repository stored = repo.stored();
            Counts wal = new Counts();
            Set<String> done = new HashSet<>();
            for (int pass = 0; pass < WAL_PASSES; pass++) {
                List<WalFile> files = stored.wal().list().stream().filter(f -> !done.contains(f.name())).toList();
                int rewrittenBefore = wal.rewritten;
                for (int i = 0; i < files.size(); i++) {
                    cancellation.throwIfCancelled("the key rotation");
                    String name = files.get(i).name();
                    progress.progress(i, files.size(), "WAL file " + name);
                    if (opens(repo.decrypting(stored.wal().localFile(name), () -> stored.wal().open(name), onlyNew, "WAL file " + name))) {
                        wal.already++;
                    } else {
                        Path sealed = reencrypt(repo, repo.wal().open(name), newKey, name);
                        try (InputStream in = Files.newInputStream(sealed)) {
                            stored.wal().replace(name, in);
                        } finally {
                            Files.deleteIfExists(sealed);
                        }
                        wal.rewritten++;
                    }
                    done.add(name);
                }
                if (pass > 0 && wal.rewritten == rewrittenBefore) {
                    break;
                }
            }
            Counts backups = new Counts();
            for (String id : stored.backups().ids().stream().sorted().toList()) {
                List<String> files = stored.backups().files(id);
                for (int i = 0; i < files.size(); i++) {
                    cancellation.throwIfCancelled("the key rotation");
                    String file = files.get(i);
                    progress.progress(i, files.size(), "backup " + id + ": " + file);
                    if (opens(repo.decrypting(stored.backups().localFile(id, file), () -> stored.backups().open(id, file), onlyNew,
                            file + " of backup " + id))) {
                        backups.already++;
                        continue;
                    }
                    Path sealed = reencrypt(repo, repo.backups().open(id, file), newKey, id + "-" + file);
                    try (InputStream in = Files.newInputStream(sealed)) {
                        stored.backups().replace(id, file, in);
                    } finally {
                        Files.deleteIfExists(sealed);
                    }
                    backups.rewritten++;
                }
            }
            repo.replaceEncryption(RepositoryEncryption::onlyCurrent);
            // the script compares a segment archived twice by decrypting the copy there: now with the new key alone
            if (script.isPresent()) {
                reinstall(EncryptedRepository.open(stored, Optional.of(onlyNew), repo.age(), repo.staging(), clock), script.get());
            }
            return new Outcome(from, newKey.fingerprint(), wal.rewritten, wal.already, backups.rewritten, backups.already, script,
                    List.of(newKey.fingerprint()));
        } catch (IOException e) {
            throw new PitrException("the key rotation stopped: " + e.getMessage(),
                    "every file is whole under the old key or the new one; fix the cause and run `key rotate` again with the same keys:"
                            + " it goes on where it stopped");
        }
    }

    private static final class Counts {
        int rewritten;
        int already;
    }

    private EncryptedRepository encrypted() {
        if (!(repository instanceof EncryptedRepository repo)) {
            throw new PitrException("the repository " + repository.location() + " is not encrypted: it has no key to change",
                    Hint.of("give --encryption-key-file FILE with the repository's key; a plain repository is not encrypted afterwards:"
                                    + " start a new repository with a key (its first backup) to encrypt",
                            "choose the repository's key file for this profile in Settings"));
        }
        if (EncryptedRepository.recorded(repo.stored()).isEmpty()) {
            throw new PitrException("the repository " + repository.location() + " holds nothing encrypted yet (no "
                    + repo.where(io.pitrconsole.repository.RepositoryDocument.ENCRYPTION) + ")",
                    "give the new key file as --encryption-key-file from its first backup on: there is nothing to re-encrypt");
        }
        return repo;
    }

    /** The new key; a PitrException when the repository is where the change would take it already. */
    private static EncryptionKey newKey(EncryptedRepository repo, Path newKeyFile, boolean reencrypt) {
        EncryptionKey newKey = EncryptionKey.load(repo.age(), newKeyFile);
        List<KeyFingerprint> listed = repo.encryption().keys().stream().map(RepositoryEncryption.KeyEntry::keyFingerprint).toList();
        boolean current = listed.get(0).equals(newKey.fingerprint());
        // given with another current key, a rotation that ended already runs again and finds every file done
        if (reencrypt && current && listed.size() == 1 && repo.keys().current().fingerprint().equals(newKey.fingerprint())) {
            throw new PitrException("the key in " + newKey.file() + " (fingerprint " + newKey.fingerprint()
                    + ") is the repository's only key already: there is nothing to re-encrypt",
                    "give a new key file as --new-key-file (`key create FILE` makes one); the current key is given with --encryption-key-file");
        }
        if (!reencrypt && current) {
            throw new PitrException("the key in " + newKey.file() + " (fingerprint " + newKey.fingerprint()
                    + ") is the key new files are encrypted to already",
                    "give a new key file as --new-key-file (`key create FILE` makes one); `key rotate` re-encrypts the older files to it");
        }
        return newKey;
    }

    /** Every key the repository lists must be held: its files may be encrypted to any of them. */
    private static void requireEveryListedKey(EncryptedRepository repo, EncryptionKey newKey) {
        List<String> missing = repo.encryption().keys().stream().map(RepositoryEncryption.KeyEntry::keyFingerprint)
                .filter(f -> !f.equals(newKey.fingerprint()) && repo.keys().find(f).isEmpty()).map(KeyFingerprint::value).toList();
        if (!missing.isEmpty()) {
            throw new PitrException("the repository's files are also encrypted to the key" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + ", which " + (missing.size() > 1 ? "were" : "was") + " not given",
                    "give each such key file with --encryption-old-key-file FILE; a file no key given opens cannot be re-encrypted");
        }
    }

    /** Whether the keys open the stored file: age fails at the header, before any content, when no key matches. */
    private static boolean opens(InputStream decrypting) throws IOException {
        try (InputStream in = decrypting) {
            in.read();
            return true;
        } catch (PitrException otherKey) {
            return false;
        }
    }

    /** The file's plain bytes encrypted to the new key, in a private file on this machine; age failing on either side fails it. */
    private static Path reencrypt(EncryptedRepository repo, InputStream plain, EncryptionKey newKey, String name) throws IOException {
        // named after this process: one killed before it replaced the file leaves it for the next opening with keys to remove
        Path sealed = StagingDirs.rekeyFile(repo.staging(), name);
        try (InputStream in = plain; OutputStream out = repo.age().encrypting(Files.newOutputStream(sealed), List.of(newKey.recipient()))) {
            // a damaged file fails here, when age reaches its bad chunk: nothing is replaced
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(sealed);
            throw e;
        }
        return sealed;
    }

    /**
     * The compression label of the console's archive_command script installed for this repository
     * (its COMPRESS= line); empty when none is installed there, or the kind runs another program.
     * Read from the script rather than compared with a rendering: the script names the recipients
     * and key files, which a key change changes, and one interrupted midway may have left either.
     */
    static Optional<String> installedScript(EncryptedRepository repo) {
        try {
            ArchiveCommand command = repo.stored().wal().archiveCommand();
            if (!command.ownScript() || !command.installed()) {
                return Optional.empty();
            }
            return Files.readAllLines(command.script(), StandardCharsets.UTF_8).stream().map(COMPRESS::matcher).filter(Matcher::matches)
                    .map(m -> m.group(1)).filter(SCRIPT_LABELS::contains).findFirst();
        } catch (IOException | PitrException cannot) {
            return Optional.empty();
        }
    }

    private static void reinstall(Repository repo, Optional<String> label) {
        label.ifPresent(l -> reinstall(repo, l));
    }

    private static void reinstall(Repository repo, String label) {
        repo.wal().archiveCommand().install(label);
    }
}
