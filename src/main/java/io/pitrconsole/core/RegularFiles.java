package io.pitrconsole.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens files of a backup or the archive only when they are regular files: opening a fifo named
 * like one waits for a writer forever, and a device is endless. Links are followed, so what is
 * checked is what would be read.
 */
public final class RegularFiles {
    private RegularFiles() {
    }

    /** Thrown for a file that exists but is a fifo, device, socket or directory. */
    public static final class NotRegularFileException extends IOException {
        public NotRegularFileException(Path file, String kind) {
            super(file + " is " + kind + ", not a regular file");
        }
    }

    /** Refuses anything but an existing regular file, before it is opened. */
    public static void require(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new NotRegularFileException(file, a.isDirectory() ? "a directory" : a.isSymbolicLink() ? "a dangling link"
                    : "a fifo, socket or device");
        }
    }

    /** An input stream over a regular file. */
    public static InputStream newInputStream(Path file) throws IOException {
        require(file);
        return Files.newInputStream(file);
    }

    /** All bytes of a regular file. */
    public static byte[] readAllBytes(Path file) throws IOException {
        require(file);
        return Files.readAllBytes(file);
    }

    /** A read-only channel over a regular file. */
    public static FileChannel openForReading(Path file) throws IOException {
        require(file);
        return FileChannel.open(file, StandardOpenOption.READ);
    }
}
