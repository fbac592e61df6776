package io.pitrconsole.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the .deb built by 'mvn -Ppackage' into a scratch root with dpkg -x (no root
 * privileges, nothing touches the machine's package database) and runs the installed launcher.
 */
class DebPackageIT {
    @TempDir
    static Path scratch;
    static Path deb;
    static Path root;

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
    void installedLauncherReportsItsVersion() throws Exception {
        Result r = run(List.of(root.resolve("opt/pitr-console/bin/pitr-console").toString(), "--version"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("pitr-console " + System.getProperty("pitr.package.version", "0.1.0"));
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

    @Test
    void installedCliWorksOnAnArchive() throws Exception {
        Path archive = Files.createDirectories(scratch.resolve("archive"));
        Result r = run(List.of(root.resolve("opt/pitr-console/bin/pitr-console").toString(), "backup", "list", "--json",
                "--archive", archive.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("[");
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
                .contains("ln -sf /opt/pitr-console/bin/pitr-console /usr/bin/pitr-console")
                .contains("xdg-desktop-menu install");
        assertThat(Files.readString(control.resolve("prerm"))).contains("rm -f /usr/bin/pitr-console");
        // the console window needs GTK 3 from the system
        assertThat(Files.readString(control.resolve("control"))).containsPattern("(?m)^Depends:.*libgtk-3-0");
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
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
