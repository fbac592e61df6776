package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cluster that starts with archiving off is turned into one whose archiving verifies. */
class ArchivingSetupTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of(
            "wal_level", "minimal", "archive_mode", "off", "max_wal_senders", "0", "archive_command", "''"));

    private CliRunner.Result cli(String... verbAndOptions) {
        PgTestCluster c = pg.cluster();
        String[] common = {"--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres"};
        String[] all = new String[verbAndOptions.length + common.length];
        System.arraycopy(verbAndOptions, 0, all, 0, verbAndOptions.length);
        System.arraycopy(common, 0, all, verbAndOptions.length, common.length);
        return CliRunner.run(Map.of(), all);
    }

    @Test
    void applyRestartAndVerifyTurnArchivingOn() {
        CliRunner.Result before = cli("archiving", "verify", "--wait", "5");
        assertThat(before.exit()).as(before.out() + before.err()).isEqualTo(1);
        assertThat(before.out()).contains("fail  wal_level").contains("fail  archive_mode").contains("hint:");

        CliRunner.Result applied = cli("archiving", "apply");
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("changed: wal_level, archive_mode, archive_command")
                .contains("RESTART NEEDED: wal_level, archive_mode");
        assertThat(pg.cluster().queryOne("SHOW archive_mode")).isEqualTo("off");
        CliRunner.Result pending = cli("archiving", "verify", "--wait", "5");
        assertThat(pending.exit()).isEqualTo(1);
        assertThat(pending.out()).contains("waits for a server restart");

        CliRunner.Result restarted = cli("archiving", "apply", "--restart", "--server-log", pg.cluster().logFile().toString());
        assertThat(restarted.exit()).as(restarted.out() + restarted.err()).isZero();
        assertThat(restarted.out()).contains("server restarted").doesNotContain("RESTART NEEDED");
        assertThat(pg.cluster().queryOne("SHOW archive_mode")).isEqualTo("on");
        assertThat(pg.cluster().queryOne("SHOW wal_level")).isEqualTo("replica");

        CliRunner.Result verified = cli("archiving", "verify", "--wait", "60");
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("pass  segment archived").contains("pass  archive writable")
                .doesNotContain("fail ");
        String segment = verified.out().lines().filter(l -> l.contains("segment archived")).findFirst().orElseThrow()
                .replaceAll(".*segment archived\\s+(\\S+).*", "$1");
        assertThat(pg.cluster().walArchive().resolve(segment)).isRegularFile();

        CliRunner.Result again = cli("archiving", "apply");
        assertThat(again.out()).contains("settings already in place").doesNotContain("RESTART NEEDED");

        CliRunner.Result stats = cli("archiving", "stats", "--json");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("\"archivedCount\"").contains("\"newestSegment\" : \"" + segment + "\"");
    }
}
