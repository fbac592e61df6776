package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 'check' on a real practice cluster: healthy, it passes every section; with its server down or its
 * archive not writable for the server, it fails with exit 2, naming the section and the check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckCliTest {
    private static final List<String> SECTIONS = List.of("archiving", "restore", "schedule", "health");
    private static Path tmp;
    private static Path dir;
    private static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tmp = Files.createTempDirectory("pitr-check-");
        // as root the server runs as another OS user, which must be able to reach the practice directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        dir = tmp.resolve("practice");
        env = Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString(), "PATH", System.getenv("PATH"));
        CliRunner.Result demo = CliRunner.run(env, "demo", "--dir", dir.toString(), "--history-seconds", "10");
        assertThat(demo.exit()).as(demo.err()).isZero();
        // a backup never verified is a health warning; a healthy archive has its backups verified
        CliRunner.Result verify = CliRunner.run(env, "backup", "verify", "--all");
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
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
    void aHealthyPracticeClusterPassesEverySection() throws Exception {
        CliRunner.Result r = CliRunner.run(env, "check", "--json", "--wait", "30");
        JsonNode report = Json.mapper().readTree(r.out());
        assertThat(sectionNames(report)).containsExactlyElementsOf(SECTIONS);
        for (JsonNode section : report.get("sections")) {
            assertThat(section.get("checks")).as(section.toString()).isNotEmpty();
            for (JsonNode c : section.get("checks")) {
                assertThat(c.get("level").asText()).as(section.get("name").asText() + ": " + c).isEqualTo("pass");
            }
        }
        assertThat(report.get("result").asText()).isEqualTo("pass");
        assertThat(r.exit()).as(r.err()).isZero();
        // each verb's own checks, run once: the forced switch, the WAL CRCs of the restore, the programs, the backup age
        assertThat(checks(report, "archiving")).contains("archive writable", "segment archived");
        assertThat(checks(report, "restore")).contains("PostgreSQL programs");
        assertThat(checks(report, "schedule")).contains("server", "pg tools", "free space");
        assertThat(checks(report, "health")).contains("server");

        CliRunner.Result text = CliRunner.run(env, "check", "--no-switch");
        assertThat(text.exit()).as(text.out() + text.err()).isZero();
        assertThat(text.out()).contains("archiving (archiving verify): pass", "restore (restore check): pass",
                "schedule (schedule verify-deps): pass", "health (health): pass", "check: pass")
                .contains("note: no segment switch forced").doesNotContain("segment archived");
    }

    @Test
    @Order(2)
    void aServerThatIsDownFailsTheSectionsThatNeedItAndNoServerChecksTheRest() throws Exception {
        assertThat(CliRunner.run(env, "demo", "stop").exit()).isZero();
        try {
            CliRunner.Result r = CliRunner.run(env, "check", "--json", "--wait", "5");
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
            assertThat(r.noStackTrace()).isTrue();
            JsonNode report = Json.mapper().readTree(r.out());
            assertThat(report.get("result").asText()).isEqualTo("fail");
            JsonNode archiving = section(report, "archiving");
            assertThat(archiving.get("result").asText()).isEqualTo("fail");
            assertThat(archiving.get("checks").get(0).get("check").asText()).isEqualTo("server");
            assertThat(archiving.get("checks").get(0).get("hint").asText()).isNotBlank();
            assertThat(levelOf(report, "schedule", "server")).isEqualTo("fail");

            CliRunner.Result text = CliRunner.run(env, "check", "--wait", "5");
            assertThat(text.exit()).isEqualTo(2);
            assertThat(text.out()).contains("archiving (archiving verify): fail").containsPattern("check: fail: \\d+ failed \\(archiving: server");

            // the archive and this machine alone still pass
            CliRunner.Result offline = CliRunner.run(env, "check", "--no-server", "--json");
            JsonNode off = Json.mapper().readTree(offline.out());
            assertThat(offline.exit()).as(offline.out() + offline.err()).isZero();
            assertThat(section(off, "archiving").get("checked").asBoolean()).isFalse();
            assertThat(section(off, "archiving").get("checks")).isEmpty();
            assertThat(section(off, "archiving").get("notes").get(0).asText()).contains("--no-server");
            assertThat(checks(off, "schedule")).doesNotContain("server");
        } finally {
            assertThat(CliRunner.run(env, "demo", "start").exit()).isZero();
        }
    }

    @Test
    @Order(3)
    void anArchiveTheServerCannotWriteFailsArchivingNamingTheCheck() throws Exception {
        Path wal = dir.resolve("archive").resolve("wal_archive");
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(wal);
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CliRunner.Result r = CliRunner.run(env, "check", "--json", "--wait", "5");
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
            JsonNode report = Json.mapper().readTree(r.out());
            assertThat(section(report, "archiving").get("result").asText()).isEqualTo("fail");
            assertThat(levelOf(report, "archiving", "archive writable")).isEqualTo("fail");
            assertThat(levelOf(report, "archiving", "segment archived")).isEqualTo("fail");

            CliRunner.Result text = CliRunner.run(env, "check", "--no-switch");
            assertThat(text.exit()).isEqualTo(2);
            assertThat(text.out()).containsPattern("fail\\s+archive writable").contains("check: fail: ")
                    .contains("archiving: archive writable");
        } finally {
            Files.setPosixFilePermissions(wal, before);
        }
    }

    private static List<String> sectionNames(JsonNode report) {
        List<String> names = new ArrayList<>();
        report.get("sections").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    private static JsonNode section(JsonNode report, String name) {
        for (JsonNode s : report.get("sections")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no section " + name + " in " + report);
    }

    private static List<String> checks(JsonNode report, String section) {
        List<String> names = new ArrayList<>();
        section(report, section).get("checks").forEach(c -> names.add(c.get("check").asText()));
        return names;
    }

    private static String levelOf(JsonNode report, String section, String check) {
        for (JsonNode c : section(report, section).get("checks")) {
            if (c.get("check").asText().equals(check)) {
                return c.get("level").asText();
            }
        }
        throw new AssertionError("no check " + check + " in section " + section + ": " + section(report, section));
    }
}
