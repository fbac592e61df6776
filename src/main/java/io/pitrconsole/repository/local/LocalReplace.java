package io.pitrconsole.repository.local;

import io.pitrconsole.core.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file of the archive with new content by a rename in its directory: the new content goes
 * to a dot-name first (.NAME.RANDOM.tmp: listings skip it, and cleanup removes it as a leftover when
 * a killed writer leaves it), is synced, and takes the old file's place in one step.
 */
final class LocalReplace {
    private LocalReplace() {
    }

    static void replace(Path target, InputStream content) throws IOException {
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                content.transferTo(Channels.newOutputStream(ch));
                ch.force(true);
            }
            keepOwnerAndMode(target, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The server's OS user reads WAL files it archived itself: the new file keeps the old one's owner, group and mode. */
    private static void keepOwnerAndMode(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class);
        view.setPermissions(a.permissions());
        try {
            view.setOwner(a.owner());
            view.setGroup(a.group());
        } catch (IOException notAllowed) {
            // only root may give a file away; a user who rewrites their own archive keeps their own files
        }
    }
}
