package io.pitrconsole.core;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The command the user types to run this program again, as they started it, for hints that name
 * a command: {@code pitr-console} only where that name on the PATH is this program (the installed
 * package); in a checkout {@code bin/pitr-console} or {@code java -jar target/pitr-console.jar}.
 */
public final class CommandName {
    /** System property the launcher scripts set to the path they were started by (their $0). */
    public static final String INVOKED_AS = "pitr.console.invoked-as";
    private static final String NAME = "pitr-console";

    private CommandName() {
    }

    /** This process's command, from its launcher's $0, else its jar, else the program's name. */
    public static String current(Map<String, String> env) {
        return of(System::getProperty, env, Path.of("").toAbsolutePath(), jar());
    }

    /** As {@link #current}, from these system properties, environment, working directory and jar. */
    static String of(UnaryOperator<String> property, Map<String, String> env, Path cwd, Optional<Path> jar) {
        String invoked = property.apply(INVOKED_AS);
        if (invoked != null && !invoked.isBlank()) {
            return asTyped(Path.of(invoked), env, cwd);
        }
        // the package's native launcher (the menu entry's) names itself here
        String appPath = property.apply("jpackage.app-path");
        if (appPath != null && !appPath.isBlank()) {
            return asTyped(Path.of(appPath), env, cwd);
        }
        return jar.map(j -> "java -jar " + shortest(j.toAbsolutePath().normalize(), cwd)).orElse(NAME);
    }

    private static String asTyped(Path script, Map<String, String> env, Path cwd) {
        Path launcher = cwd.resolve(script).normalize();
        String name = launcher.getFileName().toString();
        // a shell gives a script found on the PATH its full path as $0: the bare name works when the PATH finds this very file
        Optional<Path> found = SearchPath.find(env.get("PATH"), name);
        if (found.isPresent() && sameFile(found.get(), launcher)) {
            return name;
        }
        return shortest(launcher, cwd);
    }

    /** Relative to the working directory when inside it (a path with a slash runs as typed), else absolute. */
    private static String shortest(Path p, Path cwd) {
        return p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> jar() {
        try {
            var source = CommandName.class.getProtectionDomain().getCodeSource();
            Path p = source == null ? null : Path.of(source.getLocation().toURI());
            return p != null && p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
