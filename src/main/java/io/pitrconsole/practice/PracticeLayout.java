package io.pitrconsole.practice;

import io.pitrconsole.config.UserDirs;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the practice cluster lives: its data directory, its archive, its server log and the small
 * state file that remembers the port. Everything sits under one directory so removing it is one step.
 */
public record PracticeLayout(Path base) {
    private static final Path ROOT_HOME = Path.of("/root");

    public PracticeLayout {
        base = base.toAbsolutePath().normalize();
    }

    /**
     * Under the user's data directory ($XDG_DATA_HOME, else $HOME/.local/share). As root the server
     * runs as another OS user, which cannot enter /root, so a data directory inside /root is
     * replaced by /var/lib/pitr-console; a root session whose HOME or XDG_DATA_HOME points elsewhere
     * keeps its own practice cluster there instead of sharing one with every other root session.
     */
    public static PracticeLayout standard(Map<String, String> env, boolean root) {
        Path data = UserDirs.of(env).data();
        if (root && data.startsWith(ROOT_HOME)) {
            data = Path.of("/var/lib/pitr-console");
        }
        return new PracticeLayout(data.resolve("practice"));
    }

    public Path dataDirectory() {
        return base.resolve("data");
    }

    /** The directory of the practice cluster's archive, as its profile names it. */
    public Path archiveDirectory() {
        return base.resolve("archive");
    }

    /** The practice cluster's repository: always a local directory beside its data directory. */
    public Repository archive() {
        return LocalDirectoryRepository.at(archiveDirectory());
    }

    public Path serverLog() {
        return base.resolve("server.log");
    }

    public Path stateFile() {
        return base.resolve("practice.json");
    }
}
