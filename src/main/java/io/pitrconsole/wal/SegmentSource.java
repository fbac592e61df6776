package io.pitrconsole.wal;

import io.pitrconsole.core.RegularFiles;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the reader gets one WAL file's bytes: a file on this machine, which it maps (the fast
 * path the index depends on), or a repository's stream.
 *
 * @param file the local file, or the bare file name for a file only a stream reaches (what
 *             {@link SegmentInfo#file()} then holds)
 * @param size the file's size, -1 when it must be asked for
 */
record SegmentSource(Path file, boolean local, long size, WalStore store) {

    /** A file on this machine. */
    static SegmentSource of(Path file) {
        return new SegmentSource(file, true, -1, null);
    }

    /** A file of a WAL archive: mapped when the archive keeps it on this machine, else streamed. */
    static SegmentSource of(WalStore store, String name, long size) {
        Optional<Path> local = store.localFile(name);
        return local.map(p -> new SegmentSource(p, true, size, null)).orElseGet(() -> new SegmentSource(Path.of(name), false, size, store));
    }

    String fileName() {
        return file.getFileName().toString();
    }

    boolean compressed() {
        String n = fileName();
        return n.endsWith(".gz") || n.endsWith(".zst");
    }

    long sizeNow() throws IOException {
        if (size >= 0) {
            return size;
        }
        return local ? Files.size(file) : -1;
    }

    /**
     * The length of what {@link #open} reads, for the check that a plain segment is one segment
     * long: -1 when not known before reading it (an archive that decrypts, whose listed size is
     * the encrypted file's), which is then checked as a compressed file is, by reading it.
     */
    long contentSize() throws IOException {
        return local || store.listsContentSizes() ? sizeNow() : -1;
    }

    InputStream open() throws IOException {
        return local ? RegularFiles.newInputStream(file) : store.open(fileName());
    }
}
