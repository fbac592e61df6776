package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * archive_library (PostgreSQL 15 and later) set beside this archive's archive_command: 15 archives
 * through the library and ignores the command, 16 and later archive nothing while both are set.
 * Verify and check fail naming archive_library; apply sets it to '' and says so; then a segment
 * reaches this archive. The library is the contrib module basic_archive, writing elsewhere.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ArchivingLibraryTest {
    private static final Pattern BOTH_SET = Pattern.compile("both \"?archive_command\"? and \"?archive_library\"? set");

    private static CliRunner.Result cli(PgTestCluster c, String... verbAndOptions) {
        String[] common = {"--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres"};
        String[] all = new String[verbAndOptions.length + common.length];
        System.arraycopy(verbAndOptions, 0, all, 0, verbAndOptions.length);
        System.arraycopy(common, 0, all, verbAndOptions.length, common.length);
        return CliRunner.run(Map.of(), all);
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 16, 17})
    void aLibraryBesideOurCommandFailsVerifyAndApplyReplacesIt(int major) throws Exception {
        try (PgTestCluster c = PgTestCluster.start(major, Map.of())) {
            CliRunner.Result applied = cli(c, "archiving", "apply");
            assertThat(applied.exit()).as(applied.out() + applied.err()).isZero();
            assertThat(applied.out()).doesNotContain("archive_library");

            // another archiving module is configured after ours: basic_archive into a directory of its own
            Path other = c.baseDir().resolve("basic-archive");
            Files.createDirectories(other);
            c.giveToServerUser(other);
            // 15 and 16 refuse ALTER SYSTEM for a module's setting before the module is loaded
            Files.writeString(c.dataDir().resolve("postgresql.conf"), "basic_archive.archive_directory = '" + other + "'\n",
                    StandardOpenOption.APPEND);
            c.sql("ALTER SYSTEM SET archive_library = 'basic_archive'");
            c.sql("SELECT pg_reload_conf()");
            if (major == 15) {
                // 15 runs the library and ignores archive_command: the segment goes to the other directory
                String segment = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
                awaitFile(c, other.resolve(segment), Duration.ofSeconds(60));
                assertThat(c.walArchive().resolve(segment)).doesNotExist();
            } else {
                // 16 and later refuse to archive at all while both are set
                awaitLog(c, Duration.ofSeconds(60));
            }

            CliRunner.Result verify = cli(c, "archiving", "verify", "--wait", "10");
            assertThat(verify.exit()).as(verify.out() + verify.err()).isEqualTo(1);
            assertThat(verify.noStackTrace()).isTrue();
            assertThat(verify.out()).contains("fail  archive_library")
                    .contains("is 'basic_archive'")
                    .contains("hint: run 'archiving apply', which sets archive_library = ''")
                    .contains("segment archived  not tried");

            CliRunner.Result check = cli(c, "check", "--no-switch");
            assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(2);
            assertThat(check.out()).containsPattern("fail\\s+archive_library");

            String replacedAt = c.queryOne("SELECT now()");
            CliRunner.Result replaced = cli(c, "archiving", "apply");
            assertThat(replaced.exit()).as(replaced.out() + replaced.err()).isZero();
            assertThat(replaced.out()).contains("changed: archive_library")
                    .contains("archive_library was 'basic_archive': set to '' so that archive_command archives;"
                            + " WAL no longer goes through that module");
            assertThat(c.queryOne("SHOW archive_library")).isEmpty();
            awaitArchiverSince(c, replacedAt, Duration.ofSeconds(60));

            CliRunner.Result verified = cli(c, "archiving", "verify", "--wait", "60");
            assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).contains("pass  archive_library").contains("pass  segment archived")
                    .doesNotContain("fail ");
        }
    }

    @Test
    void generateShowsThatArchiveLibraryMustBeEmpty() {
        CliRunner.Result r = CliRunner.run(Map.of(), "archiving", "generate", "--archive", "/var/tmp/pitr-generate-only");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("archive_library = ''");
    }

    @Test
    void onFourteenThereIsNoArchiveLibraryToTouch() {
        try (PgTestCluster c = PgTestCluster.start(14, Map.of())) {
            CliRunner.Result applied = cli(c, "archiving", "apply");
            assertThat(applied.exit()).as(applied.out() + applied.err()).isZero();
            assertThat(applied.out()).doesNotContain("archive_library");
            CliRunner.Result verified = cli(c, "archiving", "verify", "--wait", "60");
            assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).doesNotContain("archive_library");
        }
    }

    /*
     * The archiver exits when archive_library changes. On a server a few seconds old no new one ran
     * for about 30 s (15, 16 and 17), until the autovacuum launcher's next worker woke the postmaster;
     * a reload right after the exit did not help, a reload every second brought it back after about
     * 10 s (a restart limit of once in 10 s would explain it).
     */
    private static void awaitFile(PgTestCluster c, Path file, Duration timeout) throws InterruptedException {
        awaitWakingThePostmaster(c, () -> Files.exists(file), file + " did not appear within " + timeout, timeout);
    }

    /** Waits until an archiver started after {@code since} runs (see {@link #awaitFile}). */
    private static void awaitArchiverSince(PgTestCluster c, String since, Duration timeout) throws InterruptedException {
        String started = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'archiver' AND backend_start > '" + since + "'";
        awaitWakingThePostmaster(c, () -> "1".equals(c.queryOne(started)), "no archiver started within " + timeout, timeout);
    }

    /** Polls every 100 ms until done, reloading the server's configuration once a second (see {@link #awaitFile}). */
    private static void awaitWakingThePostmaster(PgTestCluster c, BooleanSupplier done, String failure, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 1; !done.getAsBoolean(); i++) {
            assertThat(System.nanoTime()).as(failure).isLessThan(deadline);
            Thread.sleep(100);
            if (i % 10 == 0) {
                c.sql("SELECT pg_reload_conf()");
            }
        }
    }

    private static void awaitLog(PgTestCluster c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!BOTH_SET.matcher(Files.readString(c.logFile())).find()) {
            assertThat(System.nanoTime()).as("the server log never said both are set").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
