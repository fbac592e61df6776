package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private directories on this machine where new backups of encrypted repositories wait, plain,
 * to be encrypted: one per backup (0700, under a 0700 root), named after the backup and the process
 * writing it. A process killed mid-backup cannot remove its directory, so each new backup first
 * removes those whose process is gone (or whose process id now belongs to a later process): plain
 * bytes outlive a killed backup only until this user's next backup of an encrypted repository.
 */
final class StagingDirs {
    private static final Logger LOG = LoggerFactory.getLogger(StagingDirs.class);
    private static final String OWNER_ONLY = "rwx------";
    private static final Pattern NAME = Pattern.compile(".+\\.pid(\\d+)\\.[^.]+");

    private StagingDirs() {
    }

    /** Makes a fresh directory for backup {@code id} under {@code root}, after removing those of backups whose process is gone. */
    static Path create(Path root, String id) throws IOException {
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString(OWNER_ONLY));
        sweep(root);
        return Files.createTempDirectory(root, id + ".pid" + ProcessHandle.current().pid() + ".",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
    }

    /** Removes every directory under {@code root} whose process is no longer running; returns how many. */
    static int sweep(Path root) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory() && !writerAlive(p.getFileName().toString(), a.creationTime().toInstant())) {
                    LOG.info("removing {}, left by a backup whose process is gone", p);
                    FileTrees.deleteRecursively(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Whether the process that made this directory may still be writing it: its id is running and
     * that process started before the directory was made. A name without a process id is not ours to judge.
     */
    private static boolean writerAlive(String name, Instant made) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return true;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(m.group(1)));
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        // a second's slack: the process start time is kept to the clock tick, the directory's to the nanosecond
        return p.get().info().startInstant().map(started -> !started.isAfter(made.plusSeconds(1))).orElse(true);
    }
}
