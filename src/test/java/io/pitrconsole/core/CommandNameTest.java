package io.pitrconsole.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hints name the command as the user started it: only a PATH that finds this very launcher makes it "pitr-console". */
class CommandNameTest {
    @TempDir
    Path dir;

    @Test
    void aJarStartedWithJavaIsNamedAsTypedRelativeToTheWorkingDirectory() {
        Path checkout = dir.resolve("checkout");
        assertThat(CommandName.of(p -> null, Map.of("PATH", "/usr/bin"), checkout, Optional.of(checkout.resolve("target/pitr-console.jar"))))
                .isEqualTo("java -jar target/pitr-console.jar");
        assertThat(CommandName.of(p -> null, Map.of(), dir.resolve("elsewhere"), Optional.of(checkout.resolve("target/pitr-console.jar"))))
                .isEqualTo("java -jar " + checkout.resolve("target/pitr-console.jar"));
    }

    @Test
    void theCheckoutsLauncherIsNamedByItsPathAndTheInstalledOneByItsName() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout/bin"));
        Path script = executable(checkout.resolve("pitr-console"));
        Path usrBin = Files.createDirectories(dir.resolve("usr/bin"));
        Path installed = Files.createSymbolicLink(usrBin.resolve("pitr-console"), executable(dir.resolve("opt-cli")));

        // bash bin/pitr-console, from the checkout: $0 is bin/pitr-console and the PATH has no pitr-console
        assertThat(CommandName.of(invokedAs("bin/pitr-console"), Map.of("PATH", "/nonexistent"), checkout.getParent(), Optional.empty()))
                .isEqualTo("bin/pitr-console");
        // the same script when another pitr-console is first on the PATH: the bare name would run that one
        assertThat(CommandName.of(invokedAs(script.toString()), Map.of("PATH", usrBin.toString()), dir, Optional.empty()))
                .isEqualTo("checkout/bin/pitr-console");
        // pitr-console typed on a PATH holding /usr/bin: the shell passes /usr/bin/pitr-console as $0
        assertThat(CommandName.of(invokedAs(installed.toString()), Map.of("PATH", "/nonexistent:" + usrBin), Path.of("/"), Optional.empty()))
                .isEqualTo("pitr-console");
    }

    @Test
    void withNeitherLauncherNorJarItIsTheProgramsName() {
        assertThat(CommandName.of(p -> null, Map.of(), dir, Optional.empty())).isEqualTo("pitr-console");
    }

    private static java.util.function.UnaryOperator<String> invokedAs(String path) {
        return p -> CommandName.INVOKED_AS.equals(p) ? path : null;
    }

    private static Path executable(Path p) throws Exception {
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
