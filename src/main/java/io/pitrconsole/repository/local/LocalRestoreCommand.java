package io.pitrconsole.repository.local;

import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The restore_command for a local archive directory: a plain shell command run by the server once
 * per file. It takes a copy staged ahead of it when there is one (a rename), else copies a plain
 * file and decompresses a .gz or .zst one from the archive, and exits non-zero when the file is
 * missing. Paths go in unquoted, so only paths of safe characters are accepted.
 */
public final class LocalRestoreCommand {
    private static final String SAFE = "[A-Za-z0-9_./@+=,:~-]+";

    private LocalRestoreCommand() {
    }

    /** The command for WAL in {@code walArchive}, taking staged copies from {@code staged} first when given. */
    public static String of(Path walArchive, Optional<Path> staged) {
        String a = "a=" + shellSafe(walArchive, "the WAL archive path", "use an archive directory");
        if (staged.isEmpty()) {
            return a + "; f=%f; " + fromArchive("if");
        }
        return a + "; s=" + shellSafe(staged.get(), "the restore directory", "restore into a directory") + "; f=%f; "
                + "if [ -f \"$s/$f\" ]; then mv -f \"$s/$f\" \"%p\"; " + fromArchive("elif");
    }

    private static String shellSafe(Path p, String what, String instead) {
        String dir = p.toAbsolutePath().normalize().toString();
        if (!dir.matches(SAFE)) {
            throw new PitrException(what + " " + dir + " has characters that cannot go safely into a restore_command",
                    instead + " whose path has only letters, digits and . _ - / characters (a symlink will do)");
        }
        return dir;
    }

    private static String fromArchive(String keyword) {
        return keyword + " [ -f \"$a/$f\" ]; then cp \"$a/$f\" \"%p\"; "
                + "elif [ -f \"$a/$f.zst\" ]; then zstd -dqc \"$a/$f.zst\" > \"%p\"; "
                + "elif [ -f \"$a/$f.gz\" ]; then gzip -dc \"$a/$f.gz\" > \"%p\"; "
                + "else exit 1; fi";
    }
}
