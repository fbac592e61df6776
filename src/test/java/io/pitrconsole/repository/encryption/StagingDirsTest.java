package io.pitrconsole.repository.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private directories new backups of an encrypted repository wait in: a killed backup's is removed by the next one. */
class StagingDirsTest {
    @TempDir
    Path tmp;

    @Test
    void aNewDirectoryIsPrivateAndTheNextBackupRemovesOnlyThoseOfProcessesThatAreGone() throws Exception {
        Path root = tmp.resolve("encrypting");
        Path running = StagingDirs.create(root, "backup_20261206_100000");
        assertThat(Files.getPosixFilePermissions(root)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(running)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Files.write(running.resolve("base.tar"), new byte[] {1, 2, 3});

        // what a killed backup left: named after a process that has ended
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path killed = Files.createDirectory(root.resolve("backup_20261206_090000.pid" + gone.pid() + ".123456"));
        Files.write(killed.resolve("base.tar"), new byte[] {4, 5, 6});
        // and one this code did not make
        Path foreign = Files.createDirectory(root.resolve("something-else"));

        Path next = StagingDirs.create(root, "backup_20261206_110000");

        assertThat(killed).doesNotExist();
        assertThat(running.resolve("base.tar")).as("this process's backup is still being written").isRegularFile();
        assertThat(foreign).isDirectory();
        assertThat(next).isDirectory().isNotEqualTo(running);
    }

    @Test
    void aRotationsFileIsPrivateAndRemovedOnlyOnceItsProcessIsGone() throws Exception {
        Path root = tmp.resolve("encrypting");
        Path mine = StagingDirs.rekeyFile(root, "000000010000000000000003");
        assertThat(Files.getPosixFilePermissions(mine)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path killed = Files.write(root.resolve("rekey-base.tar.pid" + gone.pid() + ".42.age"), new byte[] {1});
        Path foreign = Files.write(root.resolve("rekey-made-elsewhere.age"), new byte[] {2});

        StagingDirs.sweepLeftovers(root);

        assertThat(killed).doesNotExist();
        assertThat(mine).as("this process's rotation is still writing it").isRegularFile();
        assertThat(foreign).isRegularFile();
        StagingDirs.sweepLeftovers(tmp.resolve("absent"));
        assertThat(tmp.resolve("absent")).doesNotExist();
    }
}
