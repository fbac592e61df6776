package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WAL archive that became read-only (root ignores permission bits, so a read-only mount is
 * used) makes 'archiving verify' fail with a hint; making it writable again lets it pass.
 */
class ArchivingReadOnlyArchiveTest {
    private static final Pattern ARCHIVED = Pattern.compile("pass  segment archived  ([0-9A-F]{24}) arrived");

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private Path mountPoint;

    @AfterEach
    void unmount() throws Exception {
        if (mountPoint == null) {
            return;
        }
        // The archiver may be running the script in the archive; lazily detach rather than leave the mount behind.
        if (run("umount", mountPoint.toString()).exit() != 0) {
            run("umount", "-l", mountPoint.toString());
        }
    }

    private record Ran(int exit, String out) {
    }

    private static Ran run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out.strip());
    }

    private Ran mount(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "mount";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return run(cmd);
    }

    /**
     * Remounts read-only. The kernel refuses (EBUSY, mount exits 32) while any file on the mount is
     * open for writing: the archive script keeps its lock file open until it exits, a little after
     * the segment it linked into place is visible, and the archiver may have started on another
     * file. So a refusal is retried, bounded, and the last one is shown if all fail.
     */
    private Ran remountReadOnly() throws Exception {
        Ran r = mount("-o", "remount,ro", mountPoint.toString());
        for (int attempt = 1; r.exit() != 0 && attempt < 50; attempt++) {
            Thread.sleep(200);
            r = mount("-o", "remount,ro", mountPoint.toString());
        }
        return r;
    }

    /** Waits until the server records the segment as archived, which it does only after archive_command exited. */
    private static void awaitArchiverDone(String segment) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!segment.equals(pg.cluster().queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            assertThat(System.nanoTime()).as("pg_stat_archiver never named " + segment + " as archived").isLessThan(deadline);
            Thread.sleep(50);
        }
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
        Ran mounted = mount("-t", "tmpfs", "-o", "size=256m", "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(mounted.exit() == 0, "mounting a tmpfs is not allowed here: " + mounted.out());

        assertThat(cli("archiving", "apply").exit()).isZero();
        CliRunner.Result ok = cli("archiving", "verify", "--wait", "60");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        Matcher archived = ARCHIVED.matcher(ok.out());
        assertThat(archived.find()).as(ok.out()).isTrue();
        // verify passes once the segment is linked into place; the script still holds its lock file open for writing
        awaitArchiverDone(archived.group(1));

        Ran readOnly = remountReadOnly();
        assertThat(readOnly.exit()).as(readOnly.out()).isZero();
        CliRunner.Result failed = cli("archiving", "verify", "--wait", "60");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.noStackTrace()).isTrue();
        assertThat(failed.out()).contains("fail  archive writable").contains("Read-only file system")
                .contains("hint: make " + mountPoint.resolve("wal_archive"))
                .contains("fail  segment archived").contains("archive_command failed for")
                .contains("fail  archiver");

        Ran readWrite = mount("-o", "remount,rw", mountPoint.toString());
        assertThat(readWrite.exit()).as(readWrite.out()).isZero();
        CliRunner.Result recovered = cli("archiving", "verify", "--wait", "120");
        assertThat(recovered.exit()).as(recovered.out()).isZero();
        assertThat(recovered.out()).contains("pass  segment archived").contains("warn  archiver");
    }
}
