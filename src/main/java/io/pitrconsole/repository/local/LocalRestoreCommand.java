package io.pitrconsole.repository.local;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.ServerEncryption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The restore_command for a local archive directory: a plain shell command run by the server once
 * per file. It takes a copy staged ahead of it when there is one (a rename), else copies a plain
 * file and decompresses a .gz or .zst one from the archive, and exits non-zero when the file is
 * missing. For an encrypted archive it decrypts each file with age (the key files read by the
 * server's OS user) into a temporary name beside %p, decompresses that, and renames the result to
 * %p only when every step succeeded: a file that fails to decrypt (another key, tampering) leaves
 * no %p that looks whole. Paths go in unquoted, so only paths of safe characters are accepted.
 */
public final class LocalRestoreCommand {
    private static final String SAFE = "[A-Za-z0-9_./@+=,:~-]+";

    private LocalRestoreCommand() {
    }

    /** The command for WAL in {@code walArchive}, taking staged copies from {@code staged} first when given. */
    public static String of(Path walArchive, Optional<Path> staged) {
        return of(walArchive, staged, Optional.empty());
    }

    /** As {@link #of(Path, Optional)}, decrypting each file from the archive when {@code encryption} is given (staged copies are plain). */
    public static String of(Path walArchive, Optional<Path> staged, Optional<ServerEncryption> encryption) {
        String a = "a=" + shellSafe(walArchive, "the WAL archive path", "use an archive directory")
                + (encryption.isPresent() ? "; t=\"%p.pitr-part\"" : "");
        String fetch = encryption.map(LocalRestoreCommand::decrypting).orElseGet(() -> fromArchive("if"));
        if (staged.isEmpty()) {
            return a + "; f=%f; " + fetch;
        }
        String s = "s=" + shellSafe(staged.get(), "the restore directory", "restore into a directory") + "; f=%f; ";
        return a + "; " + s + "if [ -f \"$s/$f\" ]; then mv -f \"$s/$f\" \"%p\"; " + fetch.replaceFirst("^if ", "elif ");
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

    /**
     * age writes only authenticated chunks and fails on a changed, cut or extended file; its output
     * goes to a temporary name ($t, beside %p in the server's pg_wal), decompressed from there, and
     * only a whole result is renamed to %p. What is left of a failure is removed before the exit.
     */
    private static String decrypting(ServerEncryption e) {
        String age = shellSafe(e.age(), "the age program's path", "install age in a directory");
        String identities = e.keyFiles().stream()
                .map(k -> "--identity " + shellSafe(k, "the key file path", "keep the key file in a directory"))
                .collect(Collectors.joining(" "));
        String decrypt = age + " --decrypt " + identities + " -o ";
        return "if [ -f \"$a/$f\" ]; then " + decrypt + "\"$t\" \"$a/$f\" && mv -f \"$t\" \"%p\"; "
                + "elif [ -f \"$a/$f.zst\" ]; then " + decrypt + "\"$t.zst\" \"$a/$f.zst\" && zstd -dqc \"$t.zst\" > \"$t\" && mv -f \"$t\" \"%p\"; "
                + "elif [ -f \"$a/$f.gz\" ]; then " + decrypt + "\"$t.gz\" \"$a/$f.gz\" && gzip -dc \"$t.gz\" > \"$t\" && mv -f \"$t\" \"%p\"; "
                + "else exit 1; fi; r=$?; rm -f \"$t\" \"$t.zst\" \"$t.gz\"; exit $r";
    }
}
