package io.pitrconsole.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console window opens from the source tree's launcher with JavaFX on the module path, so
 * JavaFX has nothing to warn about, and from the runnable jar alone; the command line names the
 * command as it was started. Runs the real programs in an Xvfb display (GTK 3 draws the window).
 */
class ConsoleLaunchIT {
    private static final Path LAUNCHER = Path.of("bin/pitr-console").toAbsolutePath();
    private static final Path JAR = Path.of("target/pitr-console.jar").toAbsolutePath();
    private static final String UNSUPPORTED = "Unsupported JavaFX configuration";
    /** Long enough for the toolkit to start or fail: a console that could not open exits at once. */
    private static final int UP_SECONDS = 15;

    private static XvfbDisplay xvfb;
    private static String display;

    @TempDir
    Path home;

    @BeforeAll
    static void startXvfb() throws Exception {
        xvfb = XvfbDisplay.start();
        display = xvfb.name();
    }

    @AfterAll
    static void stopXvfb() throws Exception {
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private record Run(boolean stayedUp, String output) {
    }

    /** Starts the console without arguments, and reports whether it was still up after a while (then closes it). */
    private Run console(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "console", ".out");
        Process p = start(command, home.resolve("config"), out);
        boolean exited = p.waitFor(UP_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            // the whole tree: the launcher script execs java, but be sure
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        return new Run(!exited, Files.readString(out, StandardCharsets.UTF_8));
    }

    private Process start(List<String> command, Path config, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", config.toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("PITR_CONSOLE_JAR", JAR.toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectOutput(out.toFile());
        return pb.start();
    }

    @Test
    void theLauncherOpensTheConsoleWithJavaFxAsModulesAndNoWarning() throws Exception {
        assumeTrue(Files.isDirectory(JAR.resolveSibling("javafx")), "target/javafx is built by 'mvn package'");
        Run run = console(List.of(LAUNCHER.toString()));
        assertThat(run.stayedUp()).as("the console was still open after %d s; it printed:%n%s", UP_SECONDS, run.output()).isTrue();
        assertThat(run.output()).doesNotContain(UNSUPPORTED).doesNotContain("WARNING").doesNotContain("error:");
    }

    @Test
    void theRunnableJarAloneStillOpensTheConsole() throws Exception {
        Run run = console(List.of(javaBin(), "-jar", JAR.toString()));
        assertThat(run.stayedUp()).as("the console was still open after %d s; it printed:%n%s", UP_SECONDS, run.output()).isTrue();
        assertThat(run.output()).doesNotContain("error:");
    }

    /**
     * Ended by SIGTERM (a logout, kill, systemd), the console closes as its close button does: it
     * remembers where its window was, and it ends without JavaFX's threads printing a stack trace.
     */
    @Test
    void aConsoleEndedBySigtermClosesItsWindowAsTheCloseButtonDoes() throws Exception {
        for (int round = 1; round <= 2; round++) {
            Path config = home.resolve("config-" + round);
            Path out = Files.createTempFile(home, "console", ".out");
            Process console = start(List.of(javaBin(), "-jar", JAR.toString()), config, out);
            assertThat(console.waitFor(UP_SECONDS, TimeUnit.SECONDS)).as("the console exited at once: %s", Files.readString(out)).isFalse();
            console.destroy();
            assertThat(console.waitFor(40, TimeUnit.SECONDS)).as("the console ended within 40 s of SIGTERM").isTrue();
            assertThat(console.exitValue()).as("128 + SIGTERM, as a shell reports a program ended by it").isEqualTo(143);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(text).as("round %d", round).doesNotContain("Exception").doesNotContain("error:");
            Path prefs = config.resolve("pitr-console/ui.json");
            assertThat(prefs).as("round %d: the window's place saved on the way out; it printed:%n%s", round, text).isRegularFile();
            assertThat(Files.readString(prefs)).contains("windowWidth");
        }
    }

    @Test
    void hintsNameTheCommandAsItWasStarted() throws Exception {
        String viaJar = cli(List.of(javaBin(), "-jar", JAR.toString(), "backup", "list", "--no-such-option"));
        assertThat(viaJar).contains("hint: 'java -jar " + Path.of("").toAbsolutePath().relativize(JAR) + " backup list --help'");
        String viaLauncher = cli(List.of(LAUNCHER.toString(), "backup", "list", "--no-such-option"));
        assertThat(viaLauncher).contains("hint: '" + Path.of("").toAbsolutePath().relativize(LAUNCHER) + " backup list --help'");
    }

    private String cli(List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(command);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("PITR_CONSOLE_JAR", JAR.toString());
        pb.environment().put("PITR_CONSOLE_CDS", "0");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return out;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
