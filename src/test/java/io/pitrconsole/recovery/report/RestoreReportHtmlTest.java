package io.pitrconsole.recovery.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported HTML report: what a reader of the file needs, with the report's text escaped. */
class RestoreReportHtmlTest {
    @TempDir
    Path archive;

    @Test
    void exportWritesAnEscapedPageBesideTheSavedReports() throws Exception {
        RestoreReport r = new RestoreReport("restore_20261125_100000_123", RestoreReport.SUCCEEDED, RestoreMode.REHEARSAL,
                "backup_20261125_090000", "restore point '<b>&x'", RecoveryTarget.name("<b>&x"), "/tmp/s/data", 54321, false,
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:00:20Z"),
                List.of(new RestoreReport.Step("extract backup", 1.25, "12 files")),
                "LOG: recovery stopping at restore point \"<b>&x\"", 2,
                List.of(new RestoreReport.Check("row counts", true, "public.t=100"), new RestoreReport.Check("timeline", false, "timeline 7")),
                Map.of("public.t", 100L), 12.34, 1000, 3, "/tmp/s/server.log", "/tmp/s", Map.of(), false, List.of(), null, null);

        Path file = new RestoreReports(LocalDirectoryRepository.at(archive)).exportHtml(r);

        assertThat(file).isEqualTo(archive.resolve(".pitr/reports/restore_20261125_100000_123.html"));
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("restore point &#39;&lt;b&gt;&amp;x&#39;").doesNotContain("<b>&x")
                .contains("<td>row counts</td><td class=\"ok\">pass</td><td>public.t=100</td>")
                .contains("<td>timeline</td><td class=\"fail\">FAIL</td>")
                .contains("<td>public.t</td><td>100</td>")
                .contains("12.3 s");
    }
}
