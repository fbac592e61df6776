package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 'health' against a real server and archive, from empty through healthy to each kind of trouble. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HealthTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private CliRunner.Result health(String... extra) {
        Map<String, String> env = new HashMap<>();
        String[] base = {"health", "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "-d", "postgres"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRunner.run(env, all);
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode c : report.get("checks")) {
            if (c.get("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    /** Moves a backup's finish back in time in its backup.json, as if it had been taken hours ago. */
    private static void age(ArchiveLayout layout, String id, Duration by) throws Exception {
        Path file = layout.backupJson(id);
        ObjectNode n = (ObjectNode) Json.mapper().readTree(file.toFile());
        n.put("startTime", Instant.parse(n.get("startTime").asText()).minus(by).toString());
        n.put("stopTime", Instant.parse(n.get("stopTime").asText()).minus(by).toString());
        Files.write(file, Json.mapper().writeValueAsBytes(n));
    }

    @Test
    @org.junit.jupiter.api.Order(1) // it starts from an archive without backups; later tests add some
    void exitStatusFollowsTheWorstFindingFromEmptyToHealthyToEachProblem() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(pg.cluster().archiveDir());
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));

        CliRunner.Result empty = health("--json");
        assertThat(empty.exit()).as(empty.err()).isEqualTo(2);
        JsonNode e = Json.mapper().readTree(empty.out());
        assertThat(e.get("status").asText()).isEqualTo("critical");
        assertThat(check(e, "newest backup").get("level").asText()).isEqualTo("critical");

        BackupService service = new BackupService(LocalDirectoryRepository.at(layout.root()), pg.cluster().pgContext());
        BackupRecord b = service.create(BackupRequest.defaults(pg.cluster().connection()).withHistoryWait(Duration.ofSeconds(15)),
                ProgressListener.NONE, Cancellation.none()).backup();
        assertThat(service.verify(b.id(), ProgressListener.NONE, Cancellation.none()).ok()).isTrue();
        pg.cluster().sql("CREATE TABLE after_backup (i int)");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));

        CliRunner.Result healthy = health();
        assertThat(healthy.exit()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("health: ok").containsPattern("ok\\s+newest backup\\s+" + b.id())
                .containsPattern("ok\\s+archiver\\s+\\d+ archived, 0 failed").containsPattern("ok\\s+WAL gaps")
                .containsPattern("ok\\s+recovery window\\s+restorable up to \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d on timeline 1 \\(from " + b.id() + "\\)");
        JsonNode h = Json.mapper().readTree(health("--json").out());
        assertThat(h.at("/metrics/newestBackupId").asText()).isEqualTo(b.id());
        assertThat(h.at("/metrics/archiverArchivedCount").asLong()).isPositive();
        assertThat(h.at("/metrics/newestWalAgeSeconds").asDouble()).isBetween(0.0, 600.0);
        Instant windowEnd = Instant.parse(h.at("/metrics/recoveryWindowEnd").asText());
        // a commit after the backup's stop: the window reaches it, and it is the newest archived transaction
        assertThat(windowEnd).isAfter(b.stopTime())
                .isEqualTo(Instant.parse(h.at("/metrics/lastArchivedTransaction").asText()));

        age(layout, b.id(), Duration.ofHours(30));
        CliRunner.Result stale = health();
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.out()).containsPattern("warning\\s+newest backup\\s+" + b.id() + " finished 30\\.\\d h ago")
                .contains("stale after 24.0 h").contains("health: warning");
        age(layout, b.id(), Duration.ofHours(20));
        assertThat(health().exit()).isEqualTo(2);
        age(layout, b.id(), Duration.ofHours(-50));
        assertThat(health().exit()).isZero();

        // a segment lost from the middle of the archive is a gap
        // (a switch with no WAL written since the last one is a no-op, hence the writes)
        pg.cluster().sql("CREATE TABLE g1 (i int)");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        pg.cluster().sql("CREATE TABLE g2 (i int)");
        String middle = pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        pg.cluster().sql("CREATE TABLE g3 (i int)");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        Path moved = layout.root().resolve(middle + ".away");
        Files.move(layout.walArchive().resolve(middle), moved);
        CliRunner.Result gap = health("--json");
        assertThat(gap.exit()).isEqualTo(2);
        JsonNode g = Json.mapper().readTree(gap.out());
        assertThat(check(g, "WAL gaps").get("detail").asText()).isEqualTo("1 segments missing, first " + middle + " on timeline 1");
        assertThat(g.at("/metrics/walGaps").asLong()).isEqualTo(1);
        Files.move(moved, layout.walArchive().resolve(middle));

        // an archive_command that fails: pg_stat_archiver shows it and health turns critical
        pg.cluster().sql("ALTER SYSTEM SET archive_command = 'false'");
        pg.cluster().sql("SELECT pg_reload_conf()");
        pg.cluster().sql("CREATE TABLE filler AS SELECT g FROM generate_series(1, 1000) g");
        pg.cluster().sql("SELECT pg_switch_wal()");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Long.parseLong(pg.cluster().queryOne("SELECT failed_count FROM pg_stat_archiver")) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        CliRunner.Result failing = health("--json");
        assertThat(failing.exit()).isEqualTo(2);
        JsonNode f = Json.mapper().readTree(failing.out());
        assertThat(check(f, "archiver").get("level").asText()).isEqualTo("critical");
        assertThat(check(f, "archiver").get("hint").asText()).contains("archiving verify");
        assertThat(f.at("/metrics/archiverFailing").asBoolean()).isTrue();
        assertThat(f.at("/metrics/archiverFailedCount").asLong()).isPositive();
        pg.cluster().sql("ALTER SYSTEM RESET archive_command");
        pg.cluster().sql("SELECT pg_reload_conf()");

        // without a server, the archive-only checks still answer
        CliRunner.Result offline = CliRunner.run(Map.of(), "health", "--no-server", "--archive", layout.root().toString());
        assertThat(offline.out()).doesNotContain("archiver");
        CliRunner.Result missing = CliRunner.run(Map.of(), "health", "--no-server", "--archive", layout.root().resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).contains("does not exist").contains("hint:");
    }

    @Test
    void aServerThatCannotBeReachedIsCriticalWithItsOwnCheckLine() throws Exception {
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        for (String[] where : new String[][] {{"-h", "127.0.0.1", "-p", String.valueOf(closed)}, {"-h", "no-such-host.invalid"}}) {
            String[] args = new String[5 + where.length];
            System.arraycopy(new String[] {"health", "--json", "--archive", pg.cluster().archiveDir().toString(), "-Upostgres"}, 0, args, 0, 5);
            System.arraycopy(where, 0, args, 5, where.length);
            CliRunner.Result r = CliRunner.run(Map.of(), args);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            JsonNode server = check(Json.mapper().readTree(r.out()), "server");
            assertThat(server.get("level").asText()).isEqualTo("critical");
            assertThat(server.get("detail").asText()).startsWith("cannot reach the server");
            assertThat(server.get("hint").asText()).isNotBlank();
        }
        JsonNode up = check(Json.mapper().readTree(health("--json").out()), "server");
        assertThat(up.get("level").asText()).isEqualTo("ok");
    }

    @Test
    void theTextReportLinesUpDetailsAndHintsInOneColumn() {
        // a backup gives the report its longest check name, "recovery window"
        new BackupService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext())
                .create(BackupRequest.defaults(pg.cluster().connection()), ProgressListener.NONE, Cancellation.none());
        CliRunner.Result r = CliRunner.run(Map.of(), "health", "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1", "-p", "1");
        java.util.List<String> lines = r.out().lines().filter(l -> !l.startsWith("health: ")).toList();
        assertThat(lines).hasSizeGreaterThan(3);
        java.util.Set<Integer> columns = new java.util.HashSet<>();
        for (String l : lines) {
            // a check name may hold single spaces; two or more end it, then the detail (or "hint:") starts
            String rest = l.substring(10);
            int gap = rest.startsWith(" ") ? 0 : rest.indexOf("  ");
            columns.add(10 + gap + (rest.substring(gap).length() - rest.substring(gap).stripLeading().length()));
        }
        assertThat(r.out()).contains("recovery window");
        assertThat(columns).as(r.out()).hasSize(1);
    }
}
