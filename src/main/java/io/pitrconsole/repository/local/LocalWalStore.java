package io.pitrconsole.repository.local;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.RegularFiles;
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

    private static boolean sameContent(Path a, Path b) throws IOException {
        return Files.size(a) == Files.size(b) && Files.mismatch(a, b) == -1;
    }

    @Override
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(resolve(name));
    }

    @Override
    public String describe() {
        return directory().toString();
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
