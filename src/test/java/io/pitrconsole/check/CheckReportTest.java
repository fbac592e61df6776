package io.pitrconsole.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Finding;
import io.pitrconsole.schedule.HealthLevel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The combined report's levels: each verb's findings keep their meaning, and the worst decides the exit status. */
class CheckReportTest {
    @Test
    void eachVerbsLevelsMapOntoPassWarnFail() {
        assertThat(CheckItem.of(new Finding("wal age", Finding.Level.FAIL, "2 h", "fix")).level()).isEqualTo(CheckLevel.FAIL);
        assertThat(CheckItem.of(new Finding("verified", Finding.Level.WARN, "never", "verify")).level()).isEqualTo(CheckLevel.WARN);
        assertThat(CheckItem.of(new Finding("gaps", Finding.Level.PASS, "none", "")).level()).isEqualTo(CheckLevel.PASS);
        // health says the same levels in its own words
        assertThat(HealthLevel.of(Finding.Level.FAIL)).isEqualTo(HealthLevel.CRITICAL);
        assertThat(HealthLevel.of(Finding.Level.WARN)).isEqualTo(HealthLevel.WARNING);
        assertThat(HealthLevel.of(Finding.Level.PASS)).isEqualTo(HealthLevel.OK);
        assertThat(CheckItem.of(Finding.fail("archive writable", "no", "chmod")).level()).isEqualTo(CheckLevel.FAIL);
        assertThat(CheckItem.of(new Finding("free space", Finding.Level.WARN, "tight", "add space")).level())
                .isEqualTo(CheckLevel.WARN);
        // a passed prerequisite has no hint; the report says "" rather than null
        assertThat(CheckItem.of(new Finding("backup", Finding.Level.PASS, "ok", null)).hint()).isEmpty();
    }

    @Test
    void theWorstSectionDecidesTheExitStatusAndTheSummaryNamesSectionAndCheck() {
        CheckSection pass = CheckSection.of("archiving", "archiving verify", List.of(item("wal_level", CheckLevel.PASS)), List.of());
        CheckSection warn = CheckSection.of("health", "health", List.of(item("last verification", CheckLevel.WARN)), List.of());
        CheckSection fail = CheckSection.of("restore", "restore check", List.of(item("WAL gaps", CheckLevel.FAIL),
                item("backup", CheckLevel.PASS)), List.of());

        assertThat(CheckReport.of(Instant.EPOCH, "/a", List.of(pass)).exitCode()).isZero();
        assertThat(CheckReport.of(Instant.EPOCH, "/a", List.of(pass, warn)).exitCode()).isEqualTo(1);
        CheckReport failed = CheckReport.of(Instant.EPOCH, "/a", List.of(pass, fail, warn));
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.result()).isEqualTo(CheckLevel.FAIL);
        assertThat(failed.named(CheckLevel.FAIL)).containsExactly("restore: WAL gaps");
        assertThat(failed.named(CheckLevel.WARN)).containsExactly("health: last verification");
        // a section left out (no server) fails nothing, and says it was not checked
        CheckSection left = CheckSection.of("archiving", "archiving verify", List.of(), List.of("not checked"));
        assertThat(left.result()).isEqualTo(CheckLevel.PASS);
        assertThat(left.checked()).isFalse();
    }

    private static CheckItem item(String check, CheckLevel level) {
        return new CheckItem(check, level, "detail", level == CheckLevel.PASS ? "" : "hint");
    }
}
