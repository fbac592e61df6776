package io.pitrconsole.schedule;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** How a scheduled job starts this console: absolute paths only, since cron and systemd have no PATH to speak of. */
public record Launcher(List<String> argv) {
    /** System property the launcher scripts set to their own absolute path. */
    public static final String LAUNCHER_PROPERTY = "pitr.console.launcher";

    public Launcher {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || !Path.of(argv.get(0)).isAbsolute()) {
            throw new PitrException("the command that starts pitr-console must be an absolute path: " + argv,
                    "pass --launcher /absolute/path/to/pitr-console");
        }
    }

    /** A wrapper script or binary given by the user. */
    public static Launcher of(Path program) {
        Path p = program.toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new PitrException(p + " is not an executable file", "pass the path of an installed pitr-console launcher");
        }
        return new Launcher(List.of(p.toString()));
    }

    /**
     * This very program as a scheduled job should start it: the launcher script that started this
     * process when there is one (it brings the class archive and JVM options), else its java
     * binary with its jar, or its class path when run from a build tree.
     */
    public static Launcher current() {
        return current(System::getProperty);
    }

    /** As {@link #current()}, reading system properties through {@code property}. */
    static Launcher current(UnaryOperator<String> property) {
        // bin/pitr-console and the package's command-line launcher name themselves here
        Optional<Path> script = Optional.ofNullable(property.apply(LAUNCHER_PROPERTY)).map(Path::of)
                .filter(Path::isAbsolute).filter(Files::isExecutable);
        if (script.isPresent()) {
            return new Launcher(List.of(script.get().toString()));
        }
        // jpackage's native launcher (the menu entry) runs the JVM in its own process, so "java -jar"
        // would name that launcher with options it does not take; use the package's command-line launcher
        Optional<Path> appPath = Optional.ofNullable(property.apply("jpackage.app-path")).map(Path::of).filter(Path::isAbsolute);
        if (appPath.isPresent()) {
            Path cli = appPath.get().getParent().resolveSibling("lib").resolve("pitr-console-cli");
            return new Launcher(List.of((Files.isExecutable(cli) ? cli : appPath.get()).toString()));
        }
        String javaBin = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path codeSource;
        try {
            codeSource = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | NullPointerException e) {
            throw new PitrException("cannot tell where pitr-console is installed", Hint.of("pass --launcher /absolute/path/to/pitr-console",
                    "start the console with its launcher (bin/pitr-console, or the installed package's), which the jobs then name"));
        }
        List<String> argv = new ArrayList<>(List.of(javaBin));
        if (codeSource.toString().endsWith(".jar")) {
            argv.addAll(List.of("-jar", codeSource.toString()));
        } else {
            String cp = String.join(":", Arrays.stream(property.apply("java.class.path").split(":"))
                    .map(s -> Path.of(s).toAbsolutePath().toString()).toList());
            argv.addAll(List.of("-cp", cp, "io.pitrconsole.Main"));
        }
        return new Launcher(argv);
    }
}
