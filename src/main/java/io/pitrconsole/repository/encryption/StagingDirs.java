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
 * writing it; and the files a key rotation re-encrypts a stored file into before it replaces it,
 * named after the process too. A process killed midway cannot remove what it left, so each new
 * backup, and each opening of a repository with keys, first removes those whose process is gone
 * (or whose process id now belongs to a later process): plain bytes outlive a killed backup, and
 * encrypted ones a killed rotation, only until this user's next use of an encrypted repository.
 */
final class StagingDirs {
    private static final Logger LOG = LoggerFactory.getLogger(StagingDirs.class);
    private static final String OWNER_ONLY = "rwx------";
    private static final Pattern NAME = Pattern.compile(".+\\.pid(\\d+)\\.[^.]+");
    private static final String REKEY = "rekey-";
    private static final Pattern REKEY_NAME = Pattern.compile(REKEY + ".+\\.pid(\\d+)\\.[^.]+\\.age");

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

    /** Makes a new private file under {@code root} for a stored file's bytes re-encrypted to a new key, named after this process. */
    static Path rekeyFile(Path root, String name) throws IOException {
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
        return Files.createTempFile(root, REKEY + name + ".pid" + ProcessHandle.current().pid() + ".", ".age",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /**
     * As {@link #sweep}, when {@code root} exists; a failure is logged, not thrown: what is left
     * behind is removed by a later sweep, and the command that swept has its own work to do.
     */
    static void sweepLeftovers(Path root) {
        if (root == null || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            sweep(root);
        } catch (IOException e) {
            LOG.warn("cannot remove what killed backups or key rotations left in {}: {}", root, e.getMessage());
        }
    }

    /**
     * Removes every directory of a backup and every file of a key rotation under {@code root}
     * whose process is no longer running; returns how many.
     */
    static int sweep(Path root) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // its own process removed it meanwhile
                    continue;
                }
                String name = p.getFileName().toString();
                if (a.isDirectory() && !writerAlive(NAME.matcher(name), a.creationTime().toInstant())) {
                    LOG.info("removing {}, left by a backup whose process is gone", p);
                    FileTrees.deleteRecursively(p);
                    removed++;
                } else if (a.isRegularFile() && !writerAlive(REKEY_NAME.matcher(name), a.creationTime().toInstant())) {
                    LOG.info("removing {}, left by a key rotation whose process is gone", p);
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Whether the process that made this directory or file may still be writing it: its id is running and
     * that process started before it was made. A name without a process id is not ours to judge.
     */
    private static boolean writerAlive(Matcher m, Instant made) {
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
