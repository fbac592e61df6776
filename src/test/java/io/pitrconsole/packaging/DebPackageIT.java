package io.pitrconsole.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the .deb built by 'mvn -Ppackage' into a scratch root with dpkg -x (no root
 * privileges, nothing touches the machine's package database) and runs the installed launchers:
 * jpackage's native one (bin/pitr-console, the menu entry's) and the command-line one
 * (lib/pitr-console-cli, which postinst links as /usr/bin/pitr-console).
 */
class DebPackageIT {
    static final String NATIVE = "opt/pitr-console/bin/pitr-console";
    static final String CLI = "opt/pitr-console/lib/pitr-console-cli";
    @TempDir
    static Path scratch;
    static Path deb;
    static Path root;
    static final int CONSOLE_UP_SECONDS = 15;

    @BeforeAll
    static void unpack() throws Exception {
        Path dir = Path.of(System.getProperty("pitr.package.dir", "target/jpackage"));
        try (Stream<Path> files = Files.list(dir)) {
            deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in " + dir + "; build it with mvn -Ppackage package"));
        }
        root = scratch.resolve("root");
        run(List.of("dpkg", "-x", deb.toString(), root.toString()));
    }

    @Test
    void installedLaunchersReportTheirVersion() throws Exception {
        for (String launcher : List.of(NATIVE, CLI)) {
            Result r = run(List.of(root.resolve(launcher).toString(), "--version"));
            assertThat(r.exitCode()).as(launcher).isZero();
            assertThat(r.output()).as(launcher).contains("pitr-console " + System.getProperty("pitr.package.version", "0.1.0"));
        }
    }

    @Test
    void withoutArgumentsAndWithoutADisplayTheLauncherSaysWhatToDo() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("opt/pitr-console/bin/pitr-console").toString()).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process launched = pb.start();
        byte[] out = launched.getInputStream().readAllBytes();
        assertThat(launched.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(launched.exitValue()).as(text).isEqualTo(2);
        assertThat(text).contains("error: cannot open the console window: no display").contains("hint: ")
                .doesNotContain("Exception");
    }

    /**
     * Both installed launchers open the real console window with JavaFX on the module path: no
     * "Unsupported JavaFX configuration" warning (JavaFX's word for classes loaded from the class
     * path), no error, and the window stays open (JavaFX's native libraries load from its jars).
     */
    @Test
    void bothLaunchersOpenTheConsoleWithoutAWarning() throws Exception {
        try (XvfbDisplay display = XvfbDisplay.start()) {
            for (String launcher : List.of(NATIVE, CLI)) {
                Path home = Files.createDirectories(scratch.resolve("home-" + Path.of(launcher).getFileName()));
                ProcessBuilder pb = new ProcessBuilder(root.resolve(launcher).toString()).redirectErrorStream(true);
                pb.environment().put("DISPLAY", display.name());
                pb.environment().remove("WAYLAND_DISPLAY");
                pb.environment().remove("JAVA_TOOL_OPTIONS");
                pb.environment().put("HOME", home.toString());
                pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
                pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
                pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
                Path out = home.resolve("console.out");
                pb.redirectOutput(out.toFile());
                Process console = pb.start();
                // long enough for the toolkit to start or fail: a console that cannot open exits at once
                boolean exited = console.waitFor(CONSOLE_UP_SECONDS, TimeUnit.SECONDS);
                if (!exited) {
                    console.descendants().forEach(ProcessHandle::destroy);
                    console.destroy();
                    console.waitFor(20, TimeUnit.SECONDS);
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                assertThat(exited).as("%s exited within %d s; it printed:%n%s", launcher, CONSOLE_UP_SECONDS, text).isFalse();
                assertThat(text).as(launcher).doesNotContain("Unsupported JavaFX configuration")
                        .doesNotContain("WARNING").doesNotContain("error:").doesNotContain("Exception");
            }
        }
    }

    @Test
    void installedCliWorksOnAnArchive() throws Exception {
        Path archive = Files.createDirectories(scratch.resolve("archive"));
        for (String launcher : List.of(NATIVE, CLI)) {
            Result r = run(List.of(root.resolve(launcher).toString(), "backup", "list", "--json", "--archive", archive.toString()));
            assertThat(r.exitCode()).as(launcher + ": " + r.output()).isZero();
            assertThat(r.output()).as(launcher).contains("[");
        }
    }

    @Test
    void bothLaunchersMapTheClassArchiveRecordedAtInstall() throws Exception {
        Path installed = install("recorded");
        assertThat(installed.resolve("opt/pitr-console/lib/runtime/lib/server/classes.jsa")).isRegularFile();
        // what postinst does on the target (dpkg -x runs no maintainer scripts)
        run(List.of(installed.resolve("opt/pitr-console/lib/record-class-archive").toString()));
        assertThat(installed.resolve("opt/pitr-console/lib/app/pitr-console.jsa")).isRegularFile();

        Path empty = Files.createDirectories(scratch.resolve("empty-recorded"));
        for (String launcher : List.of(CLI, NATIVE)) {
            String classes = classLoadLog(installed.resolve(launcher), empty);
            assertThat(classes).as(launcher).containsPattern("io\\.pitrconsole\\.archive\\.BackupCatalog source: shared objects file");
        }
    }

    @Test
    void aMissingOrForeignClassArchiveMeansNoSharingNeverAWarning() throws Exception {
        Path elsewhere = install("elsewhere");
        run(List.of(elsewhere.resolve("opt/pitr-console/lib/record-class-archive").toString()));
        Path moved = install("moved");
        Path empty = Files.createDirectories(scratch.resolve("empty-moved"));
        for (boolean withForeignArchive : List.of(false, true)) {
            if (withForeignArchive) {
                // an archive recorded for another installation's jar (another path): the JVM refuses it
                Files.copy(elsewhere.resolve("opt/pitr-console/lib/app/pitr-console.jsa"),
                        moved.resolve("opt/pitr-console/lib/app/pitr-console.jsa"));
            }
            for (String launcher : List.of(CLI, NATIVE)) {
                String what = launcher + (withForeignArchive ? " with a foreign archive" : " without an archive");
                Result r = run(List.of(moved.resolve(launcher).toString(), "backup", "list", "--archive", empty.toString()));
                assertThat(r.exitCode()).as(what + ": " + r.output()).isZero();
                assertThat(r.output()).as(what).isEqualTo("no backups in " + empty + "\n");
                // the runtime's own archive still serves the JDK classes
                assertThat(classLoadLog(moved.resolve(launcher), empty)).as(what)
                        .containsPattern("java\\.lang\\.Object source: shared objects file");
            }
        }
    }

    @Test
    void packageCarriesMenuEntryIconAndPathLink() throws Exception {
        Path lib = root.resolve("opt/pitr-console/lib");
        String desktop = Files.readString(lib.resolve("pitr-console-pitr-console.desktop"));
        assertThat(desktop).contains("Name=PITR Console", "Exec=/opt/pitr-console/bin/pitr-console",
                "Icon=/opt/pitr-console/lib/pitr-console.png");
        byte[] png = Files.readAllBytes(lib.resolve("pitr-console.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');

        Path control = scratch.resolve("control");
        run(List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("ln -sf /opt/pitr-console/lib/pitr-console-cli /usr/bin/pitr-console")
                .contains("/opt/pitr-console/lib/record-class-archive /opt/pitr-console || true")
                .contains("xdg-desktop-menu install");
        assertThat(Files.readString(control.resolve("prerm"))).contains("rm -f /usr/bin/pitr-console")
                .contains("rm -f /opt/pitr-console/lib/app/pitr-console.jsa");
        // the console window needs GTK 3 from the system
        assertThat(Files.readString(control.resolve("control"))).containsPattern("(?m)^Depends:.*libgtk-3-0");
    }

    record Result(int exitCode, String output) {
    }

    /** Unpacks the package into a root of its own, for tests that change the installed files. */
    private static Path install(String name) throws IOException, InterruptedException {
        Path dir = scratch.resolve(name);
        run(List.of("dpkg", "-x", deb.toString(), dir.toString()));
        return dir;
    }

    /** The JVM's class-loading log of 'backup list' on an empty archive: where each class came from. */
    private static String classLoadLog(Path launcher, Path emptyArchive) throws IOException, InterruptedException {
        Path log = Files.createTempFile(scratch, "class-load", ".log");
        // JAVA_TOOL_OPTIONS: the JVM reads it whichever launcher starts it (jpackage's ignores JDK_JAVA_OPTIONS)
        Result r = run(List.of(launcher.toString(), "backup", "list", "--archive", emptyArchive.toString()),
                Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return Files.readString(log);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Result r = new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        if (command.get(0).startsWith("dpkg") && r.exitCode() != 0) {
            throw new AssertionError(command + " failed: " + r.output());
        }
        return r;
    }
}
