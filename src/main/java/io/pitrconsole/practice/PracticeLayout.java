package io.pitrconsole.practice;

import io.pitrconsole.archive.ArchiveLayout;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the practice cluster lives: its data directory, its archive, its server log and the small
 * state file that remembers the port. Everything sits under one directory so removing it is one step.
 */
public record PracticeLayout(Path base) {
    public PracticeLayout {
        base = base.toAbsolutePath().normalize();
    }

    /**
     * The user's data directory. As root the server runs as another OS user, which cannot enter
     * /root, so the practice cluster goes under /var/lib instead.
     */
    public static PracticeLayout standard(Map<String, String> env, boolean root) {
        if (root) {
            return new PracticeLayout(Path.of("/var/lib/pitr-console/practice"));
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return new PracticeLayout(data.resolve("pitr-console").resolve("practice"));
    }

    public Path dataDirectory() {
        return base.resolve("data");
    }

    public ArchiveLayout archive() {
        return new ArchiveLayout(base.resolve("archive"));
    }

    public Path serverLog() {
        return base.resolve("server.log");
    }

    public Path stateFile() {
        return base.resolve("practice.json");
    }
}
