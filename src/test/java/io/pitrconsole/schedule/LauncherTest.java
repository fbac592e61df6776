package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled jobs start this program the way it was started, so they get the launcher's archive and options. */
class LauncherTest {
    @TempDir
    Path dir;

    private Path executable(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aLauncherScriptThatNamesItselfIsWhatJobsRun() throws Exception {
        Path script = executable(dir.resolve("bin/pitr-console"));
        Launcher l = Launcher.current(Map.of(Launcher.LAUNCHER_PROPERTY, script.toString())::get);
        assertThat(l.argv()).containsExactly(script.toString());
    }

    @Test
    void theMenuLauncherOfThePackageHandsJobsToItsCommandLineLauncher() throws Exception {
        // jpackage's native launcher runs the JVM in its own process: "java -jar" would name it with options it refuses
        Path app = executable(dir.resolve("opt/pitr-console/bin/pitr-console"));
        Path cli = executable(dir.resolve("opt/pitr-console/lib/pitr-console-cli"));
        Launcher l = Launcher.current(Map.of("jpackage.app-path", app.toString(), Launcher.LAUNCHER_PROPERTY, "pitr-console")::get);
        assertThat(l.argv()).containsExactly(cli.toString());
    }

    @Test
    void withoutALauncherTheJobsRunThisJavaWithItsClassPath() {
        Launcher l = Launcher.current(Map.of("java.class.path", "target/classes")::get);
        assertThat(l.argv().get(0)).endsWith("java");
        assertThat(l.argv()).containsSubsequence(List.of("-cp", Path.of("target/classes").toAbsolutePath().toString(), "io.pitrconsole.Main"));
    }
}
