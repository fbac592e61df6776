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
        // the directory name says only the major: shown as "15", never as a made-up "15.0"
        assertThat(inst.version().toString()).isEqualTo("15");
        String printed = new String(assertDoesNotThrowRun(bin.resolve("pg_ctl")));
        assertThat(printed).contains("(PostgreSQL) " + inst.exactVersion());
        assertThat(inst.exactVersion().minor()).isNotNegative();
    }

    private static byte[] assertDoesNotThrowRun(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor();
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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

    private static void fakeTools(Path dir, String version, String... tools) throws Exception {
        for (String tool : tools) {
            Path f = dir.resolve(tool);
            Files.writeString(f, "#!/bin/sh\necho '" + tool + " (PostgreSQL) " + version + "'\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A server build without client programs (initdb, pg_ctl, postgres) serves its own major only. */
    @Test
    void serverOnlyDirectoryServesItsMajorAndTakesClientProgramsFromAFullInstallation(@TempDir Path dir) throws Exception {
        Path server = Files.createDirectory(dir.resolve("server13"));
        fakeTools(server, "13.23", "initdb", "pg_ctl", "postgres");
        Path full = Files.createDirectory(dir.resolve("full15"));
        fakeTools(full, "15.4", "pg_basebackup", "pg_ctl", "psql");
        Map<String, String> env = Map.of(PgInstallation.BIN_DIRS_ENV, server.toString(), "PATH", full.toString());

        PgInstallation inst = PgInstallation.locate(Optional.empty(), env, Optional.of(13));
        assertThat(inst.binDir()).isEqualTo(server);
        assertThat(inst.version()).isEqualTo(new PgVersion(13, 23));
        assertThat(inst.tool("pg_ctl")).isEqualTo(server.resolve("pg_ctl"));
        assertThat(inst.clients()).isPresent();
        assertThat(inst.clients().get().version().major()).isGreaterThanOrEqualTo(15);
        inst.requireSameMajor(new PgVersion(13, 2));
        inst.requireCanBackUp(new PgVersion(13, 2));

        // asked for another major, the 13 server build is passed over
        assertThat(PgInstallation.locate(Optional.empty(), env, Optional.of(14)).binDir()).isNotEqualTo(server);
    }

    @Test
    void olderPgBasebackupIsRefusedForANewerServerNamingTheClientPackage(@TempDir Path dir) throws Exception {
        fakeTools(dir, "14.9", "pg_basebackup", "pg_ctl");
        PgInstallation inst = PgInstallation.locate(Optional.of(dir), Map.of(), Optional.empty());
        inst.requireCanBackUp(new PgVersion(13, 1));
        inst.requireCanBackUp(new PgVersion(14, 0));
        assertThatThrownBy(() -> inst.requireCanBackUp(new PgVersion(17, 2)))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("pg_basebackup in " + dir + " is version 14, older than the server (version 17)")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("postgresql-client-17"));
    }
}
