package io.pitrconsole.repository.local;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.ArchiveCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The shell script the server runs as archive_command for a local archive directory. A plain
 * script rather than this tool, so the server does not start a JVM per segment; it lives in the
 * archive (.pitr/bin) so the server's OS user can read it wherever the console itself is installed.
 */
final class LocalArchiveCommand implements ArchiveCommand {
    private final ArchiveLayout layout;

    LocalArchiveCommand(ArchiveLayout layout) {
        this.layout = layout;
    }

    @Override
    public Path script() {
        return layout.stateDir().resolve("bin").resolve("archive-wal");
    }

    @Override
    public String render(String compression) {
        String template;
        try (InputStream in = LocalArchiveCommand.class.getResourceAsStream("archive-wal.sh")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("archive-wal.sh missing from the build", e);
        }
        return template.replace("@@DEST@@", shellQuote(layout.walArchive().toString())).replace("@@COMPRESS@@", compression);
    }

    @Override
    public String setting() {
        return "\"" + script() + "\" \"%p\" \"%f\"";
    }

    /** Writes the script (0755) atomically; creates wal_archive if missing. */
    @Override
    public Optional<Path> install(String compression) {
        Path target = script();
        try {
            boolean walDirExisted = Files.isDirectory(layout.walArchive());
            Files.createDirectories(target.getParent());
            Files.createDirectories(layout.walArchive());
            AtomicFiles.write(target, render(compression).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(layout.stateDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            return walDirExisted ? Optional.empty() : Optional.of(layout.walArchive());
        } catch (IOException e) {
            throw new PitrException("cannot install the archive command script at " + target + ": " + e.getMessage(),
                    "check that this user may write to " + layout.stateDir());
        }
    }

    @Override
    public boolean installed() {
        return Files.isExecutable(script());
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
