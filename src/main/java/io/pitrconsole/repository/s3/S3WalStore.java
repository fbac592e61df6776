package io.pitrconsole.repository.s3;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.ServerEncryption;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * PREFIX/wal_archive/ in a bucket: one object per archived name, each written by one PUT. A put
 * never replaces an object: it asks first (HEAD) and compares what is there, then writes with
 * If-None-Match: *, which a service that honours conditional writes (AWS S3, MinIO) refuses when
 * another writer got there in between. s3proxy 2.6 ignores that header: there the HEAD alone guards.
 */
final class S3WalStore implements WalStore {
    static final String FOLDER = "wal_archive";
    private static final String SAFE = "[A-Za-z0-9_./@+=,:~-]+";
    private final S3Objects objects;
    private final S3ArchiveCommand command;

    S3WalStore(S3Objects objects, S3ArchiveCommand command) {
        this.objects = objects;
        this.command = command;
    }

    @Override
    public List<WalFile> list() {
        String folder = objects.key(FOLDER) + "/";
        return objects.list(FOLDER).stream()
                .map(o -> new WalFile(o.key().substring(folder.length()), o.size(), o.lastModified(), o.eTag()))
                // dot-names are writers' temporary files in a directory; nested keys are no archive's
                .filter(f -> !f.name().startsWith(".") && !f.name().contains("/") && !f.name().isEmpty())
                .sorted(Comparator.comparing(WalFile::name)).toList();
    }

    /** One listing by the name as prefix: a miss the server would pay three GETs for (plain, .zst, .gz). */
    @Override
    public boolean surelyAbsent(String name) {
        try {
            return !objects.anyStartingWith(name(name));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        return objects.open(name(name));
    }

    /**
     * A ranged GET: closing a response read in part made the JDK's TLS read the rest of it first, so
     * learning a segment's size from its first 40 bytes cost the whole 16 MiB.
     */
    @Override
    public InputStream openHead(String name, int bytes) throws IOException {
        return objects.openRange(name(name), bytes);
    }

    @Override
    public void put(String name, InputStream content) throws IOException {
        byte[] bytes = content.readAllBytes();
        String target = name(name);
        if (objects.head(target).isPresent()) {
            refuseUnlessSame(name, bytes);
            return;
        }
        var s3 = objects.connection();
        try {
            s3.client().putObject(r -> r.bucket(s3.bucket().bucket()).key(objects.key(target)).ifNoneMatch("*")
                    .contentMD5(S3Objects.md5(bytes)), RequestBody.fromBytes(bytes));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                // another writer stored this name since the HEAD
                refuseUnlessSame(name, bytes);
                return;
            }
            throw s3.explain("write " + objects.uri(target), e);
        } catch (SdkException e) {
            throw s3.explain("write " + objects.uri(target), e);
        }
    }

    private void refuseUnlessSame(String name, byte[] bytes) throws IOException {
        byte[] stored = objects.read(name(name)).orElse(null);
        if (stored == null || !Arrays.equals(stored, bytes)) {
            throw new PitrException("refusing to overwrite " + objects.uri(name(name)) + ": it differs from the file being archived",
                    "an archive never gets two different files of one name; find out which server archives into " + describe());
        }
    }

    /** One PUT over the object: S3 shows a reader the old object or the new one. A WAL file is at most a segment, held in memory. */
    @Override
    public void replace(String name, InputStream content) throws IOException {
        String target = name(name);
        if (objects.head(target).isEmpty()) {
            throw new java.nio.file.NoSuchFileException(objects.uri(target));
        }
        objects.put(target, content.readAllBytes());
    }

    @Override
    public boolean delete(String name) {
        if (objects.head(name(name)).isEmpty()) {
            return false;
        }
        objects.delete(name(name));
        return true;
    }

    @Override
    public String describe() {
        return objects.uri(FOLDER) + "/" + objects.connection().bucket().endpoint().map(e -> " at " + e).orElse("");
    }

    @Override
    public ArchiveCommand archiveCommand() {
        return command;
    }

    /** The script's fetch verb; with {@code staged}, a copy fetched ahead into that directory is moved in first. */
    @Override
    public String restoreCommand(Optional<Path> staged) {
        if (!command.installed()) {
            command.install("none");
        }
        return restoreCommand(command, staged);
    }

    /**
     * The encrypting script's fetch verb, which decrypts each object on the server's host into a
     * temporary name beside %p and renames it only once age authenticated it whole; a staged copy
     * (fetched and decrypted ahead by this program) is only moved in. The script installed is made
     * the encrypting one when it is not (a plain or older script keeps its compression).
     */
    @Override
    public String restoreCommand(Optional<Path> staged, ServerEncryption encryption) {
        S3ArchiveCommand encrypting = command.encrypting(encryption);
        encrypting.installUnlessCurrent();
        return restoreCommand(encrypting, staged);
    }

    private String restoreCommand(S3ArchiveCommand command, Optional<Path> staged) {
        if (staged.isEmpty()) {
            return command.fetch();
        }
        String dir = staged.get().toAbsolutePath().normalize().toString();
        if (!dir.matches(SAFE)) {
            throw new PitrException("the restore directory " + dir + " has characters that cannot go safely into a restore_command",
                    "restore into a directory whose path has only letters, digits and . _ - / characters (a symlink will do)");
        }
        // staged by the restore ahead of the server (WalAhead): $f is moved in; $f.again, the last segment kept for the
        // server's second ask as recovery ends, is copied; $f.absent says the bucket did not hold that name just before
        return "s=" + dir + "; f=%f; if [ -f \"$s/$f\" ]; then mv -f \"$s/$f\" \"%p\"; elif [ -f \"$s/$f.again\" ]; then cp \"$s/$f.again\" \"%p\"; "
                + "elif [ -f \"$s/$f.absent\" ]; then exit 1; else " + command.fetch() + "; fi";
    }

    /** Runs the script's check as the server's OS user: it reaches the bucket with that user's credentials. */
    @Override
    public void checkServerCanRead(ServerShell shell, List<String> names) {
        if (!command.installed()) {
            command.install("none");
        }
        checkAsServer(shell, "read WAL from", "read");
    }

    @Override
    public void checkServerCanWrite(ServerShell shell) {
        if (!command.installed()) {
            throw new PitrException("the archive command script " + command.script() + " is missing",
                    "run 'archiving apply' to install it");
        }
        checkAsServer(shell, "archive WAL into", "write");
    }

    // the installed script checks the key files too when it is an encrypting one and asked to read
    private void checkAsServer(ServerShell shell, String what, String use) {
        ServerShell.Result r = shell.run("exec \"$1\" check \"$2\"", List.of(command.script().toString(), use));
        if (r.exitCode() == 0) {
            return;
        }
        // the script says what is wrong on one line and what to do on a "hint:" line
        String problem = r.stderrTail().stream().filter(l -> !l.startsWith("hint: ")).reduce((a, b) -> b)
                .map(l -> l.replaceFirst("^archive-wal: ", "")).orElse("exit code " + r.exitCode());
        String hint = r.stderrTail().stream().filter(l -> l.startsWith("hint: ")).reduce((a, b) -> b)
                .map(l -> l.substring("hint: ".length()))
                // no hint line: the script did not run at all, most often a folder above it the user cannot enter
                .orElse("let " + shell.user() + " run " + command.script() + ": every folder above it must be open to " + shell.user()
                        + "; 'archiving apply' installs it again (run as root, under " + S3ArchiveCommand.SYSTEM_FOLDER
                        + " when root's cache is closed to others; as another user, in the cache: set XDG_CACHE_HOME to a folder "
                        + shell.user() + " can enter)");
        throw new PitrException("the OS user " + shell.user() + " cannot " + what + " " + describe() + ": " + problem, hint);
    }

    private static String name(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a WAL archive file name: " + name);
        }
        return FOLDER + "/" + name;
    }
}
