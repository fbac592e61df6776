package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.cli.restore.RestoreCheckCommand;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Json;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.schedule.HealthMetrics;
import io.pitrconsole.schedule.HealthReport;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every level a --json output or the status endpoint prints is lower case (health ok/warning/critical,
 * check pass/warn/fail), so a script compares against one spelling whichever verb it reads.
 */
class LevelJsonTest {
    @Test
    void healthLevelsAreLowerCaseInTheReportAndEachCheck() throws Exception {
        List<Finding> checks = Arrays.stream(Finding.Level.values())
                .map(l -> new Finding("check " + l.ordinal(), l, "detail", "")).toList();
        HealthMetrics metrics = new HealthMetrics(Map.of("complete", 1L), 0L, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
        JsonNode j = Json.mapper().readTree(Json.mapper().writeValueAsString(
                new HealthReport(HealthLevel.CRITICAL, Instant.EPOCH, "/srv/pitr", checks, metrics)));
        assertThat(j.get("status").asText()).isEqualTo("critical");
        assertThat(j.get("checks")).extracting(c -> c.get("level").asText()).containsExactly("ok", "warning", "critical");
    }

    @Test
    void archivingFindingLevelsAreLowerCase() throws Exception {
        List<Finding> findings = List.of(Finding.pass("a", "d"), Finding.warn("b", "d", "h"), Finding.fail("c", "d", "h"));
        JsonNode j = Json.mapper().readTree(Json.mapper().writeValueAsString(findings));
        assertThat(j).extracting(f -> f.get("level").asText()).containsExactly("pass", "warn", "fail");
        assertThat(findings).extracting(f -> f.level().label()).containsExactly("pass", "warn", "fail");
    }

    @Test
    void theConsolesWordingOfAHintStaysOutOfTheJson() throws Exception {
        Finding check = new Finding("verification", Finding.Level.WARN, "never verified", "run 'backup verify'",
                "click Verify on the Dashboard");
        Finding finding = Finding.fail("archive_mode", "is off", io.pitrconsole.core.Hint.of("run 'archiving apply --restart'",
                "click Apply... on the WAL Archiving page"));
        HealthMetrics metrics = new HealthMetrics(Map.of(), 0L, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
        JsonNode health = Json.mapper().readTree(Json.mapper().writeValueAsString(
                new HealthReport(HealthLevel.WARNING, Instant.EPOCH, "/srv/pitr", List.of(check), metrics)));
        assertThat(health.get("checks").get(0).fieldNames()).toIterable().containsExactly("check", "level", "detail", "hint");
        assertThat(health.get("checks").get(0).get("hint").asText()).startsWith("run '");
        for (Object o : List.of(check, finding)) {
            JsonNode j = Json.mapper().readTree(Json.mapper().writeValueAsString(o));
            assertThat(j.fieldNames()).toIterable().containsExactly("check", "level", "detail", "hint");
            assertThat(j.get("hint").asText()).startsWith("run '");
        }
    }

    @Test
    void restorePrerequisiteLevelsAreLowerCase() throws Exception {
        List<RestoreCheckCommand.PrerequisiteJson> checks = Arrays.stream(Finding.Level.values())
                .map(l -> RestoreCheckCommand.PrerequisiteJson.of(new Finding("check", l, "detail", null))).toList();
        JsonNode j = Json.mapper().readTree(Json.mapper().writeValueAsString(checks));
        assertThat(j).extracting(c -> c.get("level").asText()).containsExactly("pass", "warn", "fail");
    }
}
