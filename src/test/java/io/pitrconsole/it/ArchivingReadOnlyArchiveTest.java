package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WAL archive that became read-only (root ignores permission bits, so a read-only mount is
 * used) makes 'archiving verify' fail with a hint; making it writable again lets it pass.
 */
class ArchivingReadOnlyArchiveTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private Path mountPoint;

    @AfterEach
    void unmount() throws Exception {
        if (mountPoint != null) {
            new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
        }
    }

    private int mount(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "mount";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
    }

    private CliRunner.Result cli(String... verbAndOptions) {
        String[] common = {"--archive", mountPoint.toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres"};
        String[] all = new String[verbAndOptions.length + common.length];
        System.arraycopy(verbAndOptions, 0, all, 0, verbAndOptions.length);
        System.arraycopy(common, 0, all, verbAndOptions.length, common.length);
        return CliRunner.run(Map.of(), all);
    }

    @Test
    void readOnlyArchiveFailsVerifyWithAHint() throws Exception {
        mountPoint = Files.createTempDirectory(pg.cluster().baseDir(), "archive-mnt-");
        int rc = mount("-t", "tmpfs", "-o", "size=256m", "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(rc == 0, "mounting a tmpfs is not allowed here");

        assertThat(cli("archiving", "apply").exit()).isZero();
        CliRunner.Result ok = cli("archiving", "verify", "--wait", "60");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();

        assertThat(mount("-o", "remount,ro", mountPoint.toString())).isZero();
        CliRunner.Result failed = cli("archiving", "verify", "--wait", "60");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.noStackTrace()).isTrue();
        assertThat(failed.out()).contains("fail  archive writable").contains("Read-only file system")
                .contains("hint: make " + mountPoint.resolve("wal_archive"))
                .contains("fail  segment archived").contains("archive_command failed for")
                .contains("fail  archiver");

        assertThat(mount("-o", "remount,rw", mountPoint.toString())).isZero();
        CliRunner.Result recovered = cli("archiving", "verify", "--wait", "120");
        assertThat(recovered.exit()).as(recovered.out()).isZero();
        assertThat(recovered.out()).contains("pass  segment archived").contains("warn  archiver");
    }
}
