package io.pitrconsole.repository.local;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.ServerEncryption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shell script the server runs as archive_command for a local archive directory. A plain
 * script rather than this tool, so the server does not start a JVM per segment; it lives in the
 * archive (.pitr/bin) so the server's OS user can read it wherever the console itself is installed.
 */
final class LocalArchiveCommand implements ArchiveCommand {
    private static final String RECIPIENT = "age1[0-9a-z]+";
    private final ArchiveLayout layout;
    private final Optional<ServerEncryption> encryption;

    LocalArchiveCommand(ArchiveLayout layout) {
        this(layout, Optional.empty());
    }

    private LocalArchiveCommand(ArchiveLayout layout, Optional<ServerEncryption> encryption) {
        this.layout = layout;
        this.encryption = encryption;
    }

    /**
     * The script that encrypts each file with age on the server's host before it reaches the
     * archive; it names the key files (to compare with a copy already archived), never their content.
     */
    @Override
    public ArchiveCommand encrypting(ServerEncryption encryption) {
        if (encryption.recipients().isEmpty() || encryption.recipients().stream().anyMatch(r -> !r.matches(RECIPIENT))) {
            throw new IllegalArgumentException("not age recipients: " + encryption.recipients());
        }
        return new LocalArchiveCommand(layout, Optional.of(encryption));
    }

    @Override
    public Path script() {
        return layout.stateDir().resolve("bin").resolve("archive-wal");
    }

    /** One script for both: a plain repository's has no age program (AGE='') and no keys, which it then never uses. */
    @Override
    public String render(String compression) {
        String resource = "archive-wal.sh";
        String template;
        try (InputStream in = LocalArchiveCommand.class.getResourceAsStream(resource)) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException(resource + " missing from the build", e);
        }
        String script = template.replace("@@DEST@@", shellQuote(layout.walArchive().toString())).replace("@@COMPRESS@@", compression);
        if (encryption.isEmpty()) {
            return script.replace("@@AGE@@", "''").replace("@@RECIPIENTS@@", "").replace("@@IDENTITIES@@", "").replace("@@KEYFILES@@", "");
        }
        ServerEncryption e = encryption.get();
        List<String> keyFiles = e.keyFiles().stream().map(k -> shellQuote(k.toString())).toList();
        return script.replace("@@AGE@@", shellQuote(e.age().toString()))
                .replace("@@RECIPIENTS@@", e.recipients().stream().map(r -> "--recipient " + r).collect(Collectors.joining(" ")))
                .replace("@@IDENTITIES@@", keyFiles.stream().map(k -> "--identity " + k).collect(Collectors.joining(" ")))
                .replace("@@KEYFILES@@", String.join(" ", keyFiles));
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
