package io.pitrconsole.archiving;

import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The shell script the server runs as archive_command. A plain script rather than this tool, so
 * the server does not start a JVM per segment; it lives in the archive (.pitr/bin) so the
 * server's OS user can read it wherever the console itself is installed.
 */
public final class ArchiveCommandScript {
    private ArchiveCommandScript() {
    }

    /** Where the script is installed for this archive. */
    public static Path location(ArchiveLayout layout) {
        return layout.stateDir().resolve("bin").resolve("archive-wal");
    }

    /** The script text for an archive and a compression (none, gzip or zstd). */
    public static String render(ArchiveLayout layout, Compression compression) {
        if (compression == Compression.LZ4) {
            throw new PitrException("WAL can be archived plain, with gzip or with zstd, not lz4", "use --compress none, gzip or zstd");
        }
        String template;
        try (InputStream in = ArchiveCommandScript.class.getResourceAsStream("archive-wal.sh")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("archive-wal.sh missing from the build", e);
        }
        return template.replace("@@DEST@@", shellQuote(layout.walArchive().toString()))
                .replace("@@COMPRESS@@", compression.label());
    }

    /** The archive_command setting that runs the installed script. */
    public static String archiveCommand(ArchiveLayout layout) {
        return "\"" + location(layout) + "\" \"%p\" \"%f\"";
    }

    /** Writes the script (0755) atomically; creates wal_archive if missing. */
    public static Path install(ArchiveLayout layout, Compression compression) {
        Path target = location(layout);
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectories(layout.walArchive());
            io.pitrconsole.core.AtomicFiles.write(target, render(layout, compression).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(layout.stateDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            return target;
        } catch (IOException e) {
            throw new PitrException("cannot install the archive command script at " + target + ": " + e.getMessage(),
                    "check that this user may write to " + layout.stateDir());
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
