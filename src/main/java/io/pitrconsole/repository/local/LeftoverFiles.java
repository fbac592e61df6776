package io.pitrconsole.repository.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files that a killed writer left behind: the archive_command script's
 * {@code wal_archive/.NAME.tmp.PID} (a whole segment each) and this tool's own {@code .NAME.*.tmp}
 * (atomic writes of backup.json, metadata, caches and reports). A file counts as left over when
 * the script process that wrote it is gone from this machine, or when it has not been written to
 * for {@link #STALE_AFTER}: a live writer finishes a temporary file in seconds.
 */
public final class LeftoverFiles {
    /** Age after which a temporary file no live writer can still be filling. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);
    private static final Pattern SCRIPT_TEMP = Pattern.compile("\\..+\\.tmp\\.(\\d{1,9})");
    private static final Pattern OWN_TEMP = Pattern.compile("\\..+\\.tmp|lock\\..+\\.tmp");

    private final ArchiveLayout layout;

    public LeftoverFiles(ArchiveLayout layout) {
        this.layout = layout;
    }

    /** One left-over temporary file. */
    public record Leftover(Path path, long bytes, Instant modified) {
    }

    /** The left-over temporary files of the archive now, oldest first. */
    public List<Leftover> find(Instant now) {
        List<Leftover> found = new ArrayList<>();
        scan(layout.walArchive(), now, found);
        scan(layout.root(), now, found);
        scan(layout.stateDir(), now, found);
        scan(layout.stateDir().resolve("reports"), now, found);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.root(), "backup_*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d)) {
                    scan(d, now, found);
                }
            }
        } catch (IOException ignored) {
            // no archive yet, or unreadable: nothing to report from there
        }
        found.sort((a, b) -> a.modified().compareTo(b.modified()));
        return found;
    }

    /** Whether a file name is one a writer uses for its temporary file. */
    static boolean isTemporaryName(String name) {
        return SCRIPT_TEMP.matcher(name).matches() || OWN_TEMP.matcher(name).matches();
    }

    /** What all left-over files take. */
    public static long bytes(List<Leftover> leftovers) {
        return leftovers.stream().mapToLong(Leftover::bytes).sum();
    }

    private static void scan(Path dir, Instant now, List<Leftover> found) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                Matcher script = SCRIPT_TEMP.matcher(name);
                boolean isScript = script.matches();
                if (!isScript && !OWN_TEMP.matcher(name).matches()) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                Instant modified = a.lastModifiedTime().toInstant();
                boolean old = modified.isBefore(now.minus(STALE_AFTER));
                boolean writerGone = isScript && ProcessHandle.of(Long.parseLong(script.group(1))).isEmpty();
                if (old || writerGone) {
                    found.add(new Leftover(p, a.size(), modified));
                }
            }
        } catch (IOException ignored) {
            // an unreadable directory holds nothing we could remove either
        }
    }
}
