package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The restore verbs as a DBA types them, against a real cluster. */
class RestoreCliTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        var b = CliRunner.run(Map.of(), args("backup", "create"));
        assertThat(b.exit()).as(b.err()).isZero();
        c.sql("INSERT INTO t SELECT generate_series(1, 42)");
        c.sql("SELECT pg_create_restore_point('cli_point')");
        c.sql("INSERT INTO t SELECT generate_series(1, 8)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    static String[] args(String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void planStatesBackupWalAndExactSettingsWithAnExplicitTimeline() throws Exception {
        var r = CliRunner.run(Map.of(), args("restore", "plan", "--to-name", "cli_point", "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode plan = Json.mapper().readTree(r.out());
        assertThat(plan.get("backupId").asText()).startsWith("backup_");
        assertThat(plan.get("settings").get("recovery_target_name").asText()).isEqualTo("cli_point");
        assertThat(plan.get("settings").get("recovery_target_timeline").asText()).isEqualTo("1");
        assertThat(plan.get("settings").get("archive_mode").asText()).isEqualTo("off");
        assertThat(plan.get("walSegments")).isNotEmpty();
        assertThat(plan.get("estimatedSeconds").asDouble()).isPositive();
        assertThat(plan.get("estimateBasis").asText()).isNotBlank();

        var text = CliRunner.run(Map.of(), args("restore", "plan", "--to-name", "cli_point"));
        assertThat(text.out()).contains("recovery_target_name = 'cli_point'", "restore_command = ");
    }

    @Test
    void runPrintsJsonReportWithTheAgreedFieldsAndHistoryListsIt() throws Exception {
        // warnings go to the log (stderr), which the in-process run does not capture: listen to it here
        ch.qos.logback.classic.Logger executorLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("io.pitrconsole.recovery.run.RestoreExecutor");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        executorLog.addAppender(logged);
        CliRunner.Result r;
        try {
            r = CliRunner.run(Map.of(), args("restore", "run", "--to-name", "cli_point", "--rehearsal", "--json"));
        } finally {
            executorLog.detachAppender(logged);
        }
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        // the sandbox takes its journal with it: a plain rehearsal logs no warning about writing it
        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("restore journal"));
        JsonNode report = Json.mapper().readTree(r.out());
        assertThat(report.get("status").asText()).isEqualTo("succeeded");
        assertThat(report.get("port").asInt()).isPositive();
        assertThat(report.get("dataDirectory").asText()).endsWith("/data");
        assertThat(report.get("target").asText()).contains("cli_point");
        assertThat(report.get("backup").asText()).startsWith("backup_");
        assertThat(report.get("steps")).allSatisfy(s -> {
            assertThat(s.get("name").asText()).isNotBlank();
            assertThat(s.get("seconds").isNumber()).isTrue();
        });
        assertThat(report.get("rowCounts").get("public.t").asLong()).isEqualTo(42);
        // nothing was shown between plan and run: planned once, with the archive held, not planned again in the pre-checks
        assertThat(report.get("steps").get(0).get("name").asText()).isEqualTo("pre-checks");
        assertThat(report.get("steps").get(0).get("detail").asText()).isNotBlank().doesNotContain("planned again");

        var h = CliRunner.run(Map.of(), args("restore", "history", "--json"));
        assertThat(h.exit()).isZero();
        assertThat(Json.mapper().readTree(h.out()).get(0).get("id").asText()).isEqualTo(report.get("id").asText());
    }

    @Test
    void keptRehearsalIsDiscardedByDirectory() throws Exception {
        Path dir = Files.createTempDirectory("pitr-cli-sandbox-");
        try {
            var r = CliRunner.run(Map.of(), args("restore", "run", "--latest", "--keep", "--dir", dir.toString()));
            assertThat(r.exit()).as(r.err() + r.out()).isZero();
            assertThat(r.out()).contains("restore discard " + dir, "measured RTO");
            assertThat(dir.resolve("data/postmaster.pid")).exists();
            // the saved report keeps the console's wording of that note beside it: the Report step says Discard sandbox
            RestoreReport saved = new RestoreReports(LocalDirectoryRepository.at(pg.cluster().archiveDir())).list().get(0);
            String note = saved.notes().stream().filter(n -> n.contains("restore discard " + dir)).findFirst().orElseThrow();
            assertThat(saved.inConsoleWords(note)).endsWith("Discard sandbox removes it").doesNotContain("'restore discard");
            var d = CliRunner.run(Map.of(), args("restore", "discard", dir.toString()));
            assertThat(d.exit()).as(d.err()).isZero();
            assertThat(dir).doesNotExist();
        } finally {
            // a failed assertion above must not leave the kept sandbox's server running after the suite
            if (Files.exists(dir.resolve("data"))) {
                CliRunner.run(Map.of(), args("restore", "discard", dir.toString()));
            }
        }
    }

    @Test
    void badInputGetsClearErrorsAndTouchesNothing() {
        var noDataDir = CliRunner.run(Map.of(), args("restore", "run", "--latest", "--in-place"));
        assertThat(noDataDir.exit()).isEqualTo(1);
        assertThat(noDataDir.err()).contains("error: --in-place needs --data-dir", "hint:");
        assertThat(noDataDir.noStackTrace()).isTrue();

        var refused = CliRunner.runWithInput(Map.of(), "no\n", args("restore", "run", "--latest", "--in-place",
                "--data-dir", pg.cluster().dataDir().toString()));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("restore not started");
        assertThat(pg.cluster().queryOne("SELECT count(*) FROM t")).isEqualTo("50");

        var early = CliRunner.run(Map.of(), args("restore", "plan", "--to", "2001-01-01 00:00:00+00"));
        assertThat(early.exit()).isEqualTo(1);
        assertThat(early.err()).contains("before the first usable backup", "hint: nearest restorable moments: ");

        var noTarget = CliRunner.run(Map.of(), args("restore", "plan"));
        assertThat(noTarget.exit()).isEqualTo(2);

        var notSandbox = CliRunner.run(Map.of(), args("restore", "discard", pg.cluster().dataDir().toString()));
        assertThat(notSandbox.exit()).isEqualTo(1);
        assertThat(notSandbox.err()).contains("not a rehearsal sandbox");
        assertThat(pg.cluster().dataDir().resolve("PG_VERSION")).exists();
    }
}
