package io.pitrconsole.repository.local;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.ServerEncryption;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * wal_archive/ of a local archive directory, as the archive_command script writes it: one file
 * per archived name, written under a dot-name first and linked into place.
 */
final class LocalWalStore implements WalStore {
    private static final int BATCH = 2000;
    private final ArchiveLayout layout;

    LocalWalStore(ArchiveLayout layout) {
        this.layout = layout;
    }

    /** The directory the server's archive_command writes into. */
    Path directory() {
        return layout.walArchive();
    }

    @Override
    public List<WalFile> list() {
        Path dir = directory();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<WalFile> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                // .NAME.tmp.PID of a running archive_command, its .archive-wal.lock, our own temp files
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        files.add(new WalFile(name, a.size(), a.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException gone) {
                    // removed while we listed (a concurrent cleanup): it is simply not there
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot list the WAL archive " + dir + ": " + e.getMessage(),
                    "check that the directory exists and this user may read it");
        }
        files.sort(Comparator.comparing(WalFile::name));
        return files;
    }

    @Override
    public InputStream open(String name) throws IOException {
        return RegularFiles.newInputStream(resolve(name));
    }

    @Override
    public Optional<Path> localFile(String name) {
        // no stat here: the reader opening it finds out, once, whether it is there
        return Optional.of(resolve(name));
    }

    @Override
    public void put(String name, InputStream content) throws IOException {
        Path dir = directory();
        Path target = resolve(name);
        Files.createDirectories(dir);
        // a dot-name, as the script's: listings skip it, and cleanup removes it when a killed writer leaves it;
        // owner-only, as the server's umask makes the script's files
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                content.transferTo(java.nio.channels.Channels.newOutputStream(ch));
                ch.force(true);
            }
            try {
                // a link never replaces an existing name: two writers of one file cannot both succeed
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException exists) {
                if (!sameContent(target, tmp)) {
                    throw new PitrException("refusing to overwrite " + target + ": it differs from the file being archived",
                            "an archive never gets two different files of one name; find out which server writes into " + dir);
                }
                return;
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, target);
            }
            AtomicFiles.fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void replace(String name, InputStream content) throws IOException {
        Path target = resolve(name);
        if (!Files.isRegularFile(target)) {
            throw new NoSuchFileException(target.toString());
        }
        LocalReplace.replace(target, content);
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        return Files.size(a) == Files.size(b) && Files.mismatch(a, b) == -1;
    }

    @Override
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(resolve(name));
    }

    @Override
    public String restoreCommand(Optional<Path> staged) {
        return LocalRestoreCommand.of(directory(), staged);
    }

    @Override
    public String restoreCommand(Optional<Path> staged, ServerEncryption encryption) {
        return LocalRestoreCommand.of(directory(), staged, Optional.of(encryption));
    }

    @Override
    public void checkServerCanRead(ServerShell shell, List<String> names) {
        Path dir = directory();
        if (!shell.switchesUser()) {
            if (!Files.isReadable(dir)) {
                throw new PitrException("cannot read the WAL archive " + dir, "fix its permissions");
            }
        } else if (shell.run("test -d \"$1\" -a -r \"$1\" -a -x \"$1\"", List.of(dir.toString())).exitCode() != 0) {
            throw new PitrException("OS user " + shell.user() + " cannot read the WAL archive " + dir,
                    "the server's restore_command runs as that user: give it read access to the archive (and every directory above it)");
        }
        checkServerCanReadFiles(shell, names);
    }

    /**
     * A file restore_command cannot read is, to the server, a missing one: recovery to the latest
     * WAL ends before it without an error. So each file is tried as that user.
     */
    private void checkServerCanReadFiles(ServerShell shell, List<String> names) {
        Path dir = directory();
        List<String> unreadable = new ArrayList<>();
        if (!shell.switchesUser()) {
            names.stream().filter(n -> !Files.isReadable(dir.resolve(n))).findFirst().ifPresent(unreadable::add);
        } else {
            // batches keep the argument list well below the system's limit on long archives
            for (int i = 0; i < names.size() && unreadable.isEmpty(); i += BATCH) {
                List<String> args = new ArrayList<>(List.of(dir.toString()));
                args.addAll(names.subList(i, Math.min(names.size(), i + BATCH)));
                ServerShell.Result r = shell.run("cd \"$1\" || exit 2; shift; for f in \"$@\"; do"
                        + " [ -r \"$f\" ] || { printf '%s\\n' \"$f\"; exit 3; }; done", args);
                if (r.exitCode() != 0) {
                    unreadable.add(r.stdout().isBlank() ? names.get(i) : r.stdout().strip());
                }
            }
        }
        if (!unreadable.isEmpty()) {
            throw new PitrException("OS user " + shell.user() + " cannot read WAL file " + unreadable.get(0)
                    + " in " + dir, "the server's restore_command runs as that user and would take the file for missing,"
                    + " ending recovery before it: give that user read access to the archive's files (e.g. chmod o+r or a shared group)");
        }
    }

    @Override
    public void checkServerCanWrite(ServerShell shell) {
        Path dir = directory();
        String who = shell.switchesUser() ? "the OS user " + shell.user() : "this user";
        if (!Files.isDirectory(dir)) {
            throw new PitrException(dir + " does not exist", Hint.of("run 'archiving apply', which creates it",
                    "click Apply... on the WAL Archiving page, which creates it"));
        }
        // Create and remove a file as the server's OS user: permission bits alone miss read-only
        // mounts, ACLs and full disks.
        ServerShell.Result r = shell.run("f=\"$1/.pitr-write-probe.$$\" && : > \"$f\" && rm -f \"$f\"", List.of(dir.toString()));
        if (r.exitCode() != 0) {
            String why = r.stderrTail().isEmpty() ? "exit code " + r.exitCode() : String.join(" ", r.stderrTail());
            throw new PitrException(who + " cannot create files in " + dir + ": " + why,
                    "make " + dir + " writable for " + shell.user() + " (chown/chmod, or mount it read-write);"
                            + " until then the server keeps every segment in pg_wal");
        }
    }

    @Override
    public String describe() {
        return directory().toString();
    }

    @Override
    public ArchiveCommand archiveCommand() {
        return new LocalArchiveCommand(layout);
    }

    private Path resolve(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
            throw new PitrException("'" + name + "' is not a WAL archive file name", "WAL archive files are named by the server, e.g. 000000010000000000000003");
        }
        return directory().resolve(name);
    }

    @Override
    public String toString() {
        return describe();
    }
}
