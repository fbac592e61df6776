package io.pitrconsole.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgInstallationTest {
    @Test
    void findsTheDebianInstallationOfTheServersMajorVersion() {
        Path bin = Path.of("/usr/lib/postgresql/15/bin");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bin.resolve("pg_basebackup")));
        PgInstallation inst = PgInstallation.locate(Optional.empty(), Map.of("PATH", "/nonexistent"), Optional.of(15));
        assertThat(inst.binDir()).isEqualTo(bin);
        assertThat(inst.version().major()).isEqualTo(15);
    }

    /** An installation elsewhere (not /usr/lib/postgresql/N) is asked for its version. */
    @Test
    void refusesProgramsOfAnotherMajorVersionAndNamesTheRightDirectory(@TempDir Path dir) throws Exception {
        for (String tool : new String[] {"pg_basebackup", "pg_ctl"}) {
            Path f = dir.resolve(tool);
            Files.writeString(f, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 14.9'\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        PgInstallation inst = PgInstallation.locate(Optional.of(dir), Map.of(), Optional.empty());
        assertThat(inst.version()).isEqualTo(new PgVersion(14, 9));
        assertThatThrownBy(() -> inst.requireSameMajor(new PgVersion(15, 4)))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("version 14").hasMessageContaining("version 15")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("/usr/lib/postgresql/15/bin"));
    }

    @Test
    void explicitDirectoryWithoutProgramsIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> PgInstallation.locate(Optional.of(dir), Map.of(), Optional.empty()))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("no PostgreSQL programs")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("--pg-bin"));
    }
}
