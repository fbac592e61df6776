package io.pitrconsole.recovery.run;

import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a cluster's directories (data directory and tablespace locations) aside by renaming them
 * next to themselves, and puts them back. A rename on the same file system keeps every byte, owner
 * and mode as it was, which is what "put back exactly" needs; nothing is copied.
 */
public final class DataDirSwap {
    private final Map<Path, Path> moved = new LinkedHashMap<>();

    /** Where dir goes when moved aside for the given restore. */
    static Path asideName(Path dir, String restoreId) {
        Path d = dir.toAbsolutePath().normalize();
        return d.resolveSibling(d.getFileName() + ".pitr-old-" + restoreId);
    }

    /** Fails before anything moves when a directory cannot be renamed in place. */
    public static void checkMovable(Path dir, String restoreId) {
        Path aside = asideName(dir, restoreId);
        if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
            throw new PitrException(aside + " already exists", "remove or rename it, then run the restore again");
        }
        if (!Files.isWritable(dir.toAbsolutePath().normalize().getParent())) {
            throw new PitrException("cannot rename " + dir + ": its parent directory is not writable by this user",
                    "run the restore as a user who may write to " + dir.toAbsolutePath().getParent() + " (usually root or the server's OS user)");
        }
    }

    /** Renames each existing directory aside; already moved ones stay recorded for putBack. */
    void moveAside(List<Path> dirs, String restoreId) {
        for (Path dir : dirs) {
            Path d = dir.toAbsolutePath().normalize();
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path aside = asideName(d, restoreId);
            try {
                Files.move(d, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new PitrException("could not move " + d + " aside to " + aside + ": " + e.getMessage(),
                        "the directory was left where it was; check permissions of its parent directory");
            }
            moved.put(d, aside);
        }
    }

    Map<Path, Path> moved() {
        return Map.copyOf(moved);
    }

    /**
     * Removes what the restore wrote in the original places and renames the old directories back.
     * Returns problems instead of stopping at the first, so that every directory gets its chance.
     */
    List<String> putBack() {
        return putBack(moved);
    }

    /** Puts back directories moved aside earlier (e.g. recorded in a report), deleting what the restore put in their place. */
    static List<String> putBack(Map<Path, Path> originalToAside) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, Path> e : originalToAside.entrySet()) {
            Path original = e.getKey();
            Path aside = e.getValue();
            if (!Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(aside + " is gone; " + original + " cannot be put back");
                continue;
            }
            try {
                FileTrees.deleteRecursively(original);
                Files.move(aside, original, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ex) {
                problems.add("could not put " + aside + " back as " + original + ": " + ex.getMessage());
            }
        }
        return problems;
    }
}
