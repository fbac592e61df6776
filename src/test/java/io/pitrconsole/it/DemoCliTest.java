package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The practice cluster from the CLI, headless: created with history, used through its profile, stopped, removed. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoCliTest {
    private static Path tmp;
    private static Path dir;
    private static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tmp = Files.createTempDirectory("pitr-demo-");
        // as root the server runs as another OS user, which must be able to reach the practice directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        dir = tmp.resolve("practice");
        env = Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString(), "PATH", System.getenv("PATH"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (Files.exists(dir)) {
            CliRunner.run(env, "demo", "remove", "--yes", "--dir", dir.toString());
        }
        FileTrees.deleteRecursively(tmp);
    }

    @Test
    @Order(1)
    void demoCreatesAPracticeClusterWithBackupsRestorePointsAndArchivedWal() throws Exception {
        CliRunner.Result r = CliRunner.run(env, "demo", "--dir", dir.toString(), "--history-seconds", "12");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("practice cluster   running").contains("3 backups, 2 restore points");
        // each step is printed with how long it took: initdb and a base backup never take 0.0 s
        assertThat(stepSeconds(r.err(), "initdb")).as(r.err()).isPositive();
        assertThat(stepSeconds(r.err(), "backup 1")).as(r.err()).isPositive();
        assertThat(stepSeconds(r.err(), "backup 3")).as(r.err()).isPositive();

        // the new cluster is the default profile: verbs work without --archive or a port
        CliRunner.Result list = CliRunner.run(env, "backup", "list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode backups = Json.mapper().readTree(list.out()).get("backups");
        assertThat(backups).hasSize(3);
        List<String> labels = new ArrayList<>();
        backups.forEach(b -> {
            assertThat(b.get("status").asText()).isEqualTo("complete");
            assertThat(b.get("stopTimeSource").asText()).startsWith("backup-history-file");
            labels.add(b.get("label").asText());
        });
        assertThat(labels).containsExactlyInAnyOrder("practice backup 1", "practice backup 2", "practice backup 3");

        JsonNode state = Json.mapper().readTree(CliRunner.run(env, "demo", "status", "--json", "--dir", dir.toString()).out());
        assertThat(state.get("running").asBoolean()).isTrue();
        int port = state.get("cluster").get("port").asInt();
        try (Connection c = PgConnections.open(ConnectionSettings.local(port, "postgres")); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*) FROM shop.orders");
            rs.next();
            // the seed rows plus the trickle, minus the scripted cleanup of quantity-1 orders
            assertThat(rs.getLong(1)).isBetween(3750L, 5000L + 12);
            rs = st.executeQuery("SELECT archived_count, failed_count FROM pg_stat_archiver");
            rs.next();
            assertThat(rs.getLong(1)).isPositive();
            assertThat(rs.getLong(2)).isZero();
        }
        try (Stream<Path> files = Files.list(dir.resolve("archive").resolve("wal_archive"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names.stream().filter(n -> n.endsWith(".backup"))).hasSize(3);
            assertThat(names.stream().filter(n -> n.matches("[0-9A-F]{24}"))).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    @Order(2)
    void windowsShowsTheHistoryAsRestorableWithItsRestorePoints() throws Exception {
        CliRunner.Result r = CliRunner.run(env, "windows", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode w = Json.mapper().readTree(r.out());
        assertThat(w.get("gaps")).isEmpty();
        JsonNode merged = w.get("merged");
        assertThat(merged).hasSize(1);
        Instant from = Instant.parse(merged.get(0).get("from").asText());
        Instant to = Instant.parse(merged.get(0).get("to").asText());
        List<String> names = new ArrayList<>();
        w.get("restorePoints").forEach(p -> {
            names.add(p.get("name").asText());
            // both mistakes can be undone: their restore points lie inside the restorable range
            assertThat(Instant.parse(p.get("time").asText())).isBetween(from, to);
        });
        assertThat(names).containsExactly("before_price_change", "before_cleanup");
        assertThat(w.get("windows")).hasSize(3);
    }

    @Test
    @Order(3)
    void archivingVerifyPassesOnAFreshPracticeClusterWithoutAWarning() throws Exception {
        // the practice cluster archives through the archive's own script, the one 'archiving apply' sets
        CliRunner.Result r = CliRunner.run(env, "archiving", "verify", "--json", "--wait", "30");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode findings = Json.mapper().readTree(r.out());
        assertThat(findings).extracting(f -> f.get("check").asText())
                .contains("wal_level", "archive_mode", "archive_command", "archive_timeout", "segment archived", "archiver");
        for (JsonNode f : findings) {
            assertThat(f.get("level").asText()).as(f.toString()).isEqualTo("pass");
        }
        assertThat(Files.isExecutable(dir.resolve("archive").resolve(".pitr").resolve("bin").resolve("archive-wal"))).isTrue();

        // and the Archiving page's comparison has nothing left for 'Apply' to change
        int port = Json.mapper().readTree(CliRunner.run(env, "demo", "status", "--json", "--dir", dir.toString()).out())
                .get("cluster").get("port").asInt();
        ArchivingService service = new ArchivingService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(dir.resolve("archive")), PgContext.fromEnvironment(),
                ConnectionSettings.local(port, "postgres"));
        assertThat(service.compare(service.generate(Compression.NONE, ArchivingService.DEFAULT_ARCHIVE_TIMEOUT)))
                .allSatisfy(c -> assertThat(c.satisfied()).as(c.toString()).isTrue());
    }

    @Test
    @Order(4)
    void aSecondDemoIsRefusedAndTouchesNothing() {
        CliRunner.Result r = CliRunner.run(env, "demo", "--dir", dir.toString(), "--history-seconds", "10");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("a practice cluster already exists").contains("hint: ");
        // it runs already: starting it is no advice; looking at it, or removing it to start over, is
        assertThat(hint(r.err())).contains("demo status").contains("demo remove").doesNotContain("demo start");
        assertThat(r.noStackTrace()).isTrue();
        assertThat(CliRunner.run(env, "demo", "status", "--dir", dir.toString()).out()).contains("running");
    }

    @Test
    @Order(5)
    void stopStartAndRemove() {
        // without --dir the verbs follow the practice profile to the directory 'demo --dir' used
        CliRunner.Result stop = CliRunner.run(env, "demo", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(CliRunner.run(env, "demo", "status", "--dir", dir.toString()).out()).contains("stopped");
        // a stopped one is started, not created again
        CliRunner.Result again = CliRunner.run(env, "demo", "--dir", dir.toString(), "--history-seconds", "10");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(hint(again.err())).contains("demo start");
        CliRunner.Result start = CliRunner.run(env, "demo", "start");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(CliRunner.run(env, "demo", "status").out()).contains("running").contains(dir.resolve("data").toString());

        CliRunner.Result unconfirmed = CliRunner.runWithInput(env, "no\n", "demo", "remove", "--dir", dir.toString());
        assertThat(unconfirmed.exit()).isEqualTo(1);
        assertThat(dir).exists();

        CliRunner.Result removed = CliRunner.run(env, "demo", "remove", "--yes", "--dir", dir.toString());
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(dir).doesNotExist();
        CliRunner.Result list = CliRunner.run(env, "backup", "list");
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err()).contains("no archive directory given");
    }

    /** The seconds printed before a step's name on a line of demo's progress ("  2.31 s  initdb"). */
    private static double stepSeconds(String err, String step) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(\\d+\\.\\d+) s  " + java.util.regex.Pattern.quote(step) + "\\b")
                .matcher(err);
        assertThat(m.find()).as("a progress line for '" + step + "' in:\n" + err).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String hint(String err) {
        return err.lines().filter(l -> l.startsWith("hint: ")).findFirst().orElse("");
    }
}
