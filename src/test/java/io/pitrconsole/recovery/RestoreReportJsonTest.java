package io.pitrconsole.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved form of a restore report stays what it was: reports saved earlier read back, and new ones are written alike. */
class RestoreReportJsonTest {
    @TempDir
    Path archive;

    static RestoreReport full() {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("public.t", 100L);
        rows.put("shop.orders", 7L);
        Map<String, String> aside = new LinkedHashMap<>();
        aside.put("/srv/pg/data", "/srv/pg/data.pitr-old-restore_20261206_031500_123");
        return new RestoreReport("restore_20261206_031500_123", RestoreReport.ROLLED_BACK, RestoreMode.IN_PLACE, "backup_20261206_030000",
                "time 2026-12-06 03:10:00.123456+00:00 (inclusive) on timeline 1",
                RecoveryTarget.time(OffsetDateTime.parse("2026-12-06T03:10:00.123456Z")).onTimeline(1), "/srv/pg/data", 5432, false,
                Instant.parse("2026-12-06T03:15:00.5Z"), Instant.parse("2026-12-06T03:16:40.25Z"),
                List.of(new RestoreReport.Step("pre-checks", 0.5, "ok"), new RestoreReport.Step("extract backup", 12.25, "3 files")),
                "LOG:  recovery stopping before commit of transaction 740, time 2026-12-06 03:10:01.5+00", 2,
                List.of(new RestoreReport.Check("row counts", true, "public.t=100"), new RestoreReport.Check("timeline", true, "2", true)),
                rows, 98.5, 123456789L, 17, "/srv/pg/data.pitr-restore_20261206_031500_123.log", null, aside, true,
                List.of("warning: something to think about", "rolled back"), "the restored cluster failed a check",
                "'restore rollback' puts the old one back", Map.of("'restore rollback' puts the old one back", "Roll back puts the old one back"));
    }

    /** A report's JSON as saved before the builder existed (taken from a save by that code, byte for byte). */
    private static final String SAVED = """
{
  "id" : "restore_20261206_031500_123",
  "status" : "rolled back",
  "mode" : "in-place",
  "backup" : "backup_20261206_030000",
  "target" : "time 2026-12-06 03:10:00.123456+00:00 (inclusive) on timeline 1",
  "targetDetail" : {
    "kind" : "TIME",
    "time" : "2026-12-06T03:10:00.123456Z",
    "inclusive" : true,
    "timeline" : 1
  },
  "dataDirectory" : "/srv/pg/data",
  "port" : 5432,
  "kept" : false,
  "startedAt" : "2026-12-06T03:15:00.500Z",
  "finishedAt" : "2026-12-06T03:16:40.250Z",
  "steps" : [ {
    "name" : "pre-checks",
    "seconds" : 0.5,
    "detail" : "ok"
  }, {
    "name" : "extract backup",
    "seconds" : 12.25,
    "detail" : "3 files"
  } ],
  "reachedTarget" : "LOG:  recovery stopping before commit of transaction 740, time 2026-12-06 03:10:01.5+00",
  "restoredTimeline" : 2,
  "checks" : [ {
    "name" : "row counts",
    "ok" : true,
    "detail" : "public.t=100",
    "warning" : false
  }, {
    "name" : "timeline",
    "ok" : true,
    "detail" : "2",
    "warning" : true
  } ],
  "rowCounts" : {
    "public.t" : 100,
    "shop.orders" : 7
  },
  "rtoSeconds" : 98.5,
  "bytesExtracted" : 123456789,
  "walSegmentsRestored" : 17,
  "serverLog" : "/srv/pg/data.pitr-restore_20261206_031500_123.log",
  "movedAside" : {
    "/srv/pg/data" : "/srv/pg/data.pitr-old-restore_20261206_031500_123"
  },
  "rolledBack" : true,
  "notes" : [ "warning: something to think about", "rolled back" ],
  "error" : "the restored cluster failed a check",
  "hint" : "'restore rollback' puts the old one back"
}""";

    private static final String SAVED_CONSOLE = """
{
  "'restore rollback' puts the old one back" : "Roll back puts the old one back"
}""";

    @Test
    void aReportSavedBeforeReadsBackWithEveryValue() throws Exception {
        RestoreReports reports = new RestoreReports(io.pitrconsole.repository.local.LocalDirectoryRepository.at(archive));
        Files.createDirectories(reports.directory());
        Files.writeString(reports.directory().resolve(full().id() + ".json"), SAVED);
        Files.writeString(reports.directory().resolve(full().id() + ".console"), SAVED_CONSOLE);

        assertThat(reports.list()).containsExactly(full());
    }

    @Test
    void aReportIsSavedByteForByteAsBefore() throws Exception {
        RestoreReport built = RestoreReport.builder().id(full().id()).status(RestoreReport.ROLLED_BACK).mode(RestoreMode.IN_PLACE)
                .backup(full().backup()).target(full().target()).targetDetail(full().targetDetail()).dataDirectory("/srv/pg/data")
                .port(5432).startedAt(full().startedAt()).finishedAt(full().finishedAt()).steps(full().steps())
                .reachedTarget(full().reachedTarget()).restoredTimeline(2).checks(full().checks()).rowCounts(full().rowCounts())
                .rtoSeconds(98.5).bytesExtracted(123456789L).walSegmentsRestored(17).serverLog(full().serverLog())
                .movedAside(full().movedAside()).rolledBack(true).notes(full().notes()).error(full().error()).hint(full().hint())
                .consoleWords(full().consoleWords()).build();
        assertThat(built).isEqualTo(full());

        Path json = new RestoreReports(io.pitrconsole.repository.local.LocalDirectoryRepository.at(archive)).save(built);

        assertThat(Files.readString(json)).isEqualTo(SAVED);
        assertThat(Files.readString(json.resolveSibling(built.id() + ".console"))).isEqualTo(SAVED_CONSOLE);
    }

    @Test
    void changingOneValueKeepsEveryOther() {
        RestoreReport r = full().toBuilder().status(RestoreReport.SUCCEEDED).rolledBack(false).build();

        assertThat(r.status()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.rolledBack()).isFalse();
        assertThat(r.toBuilder().status(RestoreReport.ROLLED_BACK).rolledBack(true).build()).isEqualTo(full());
        assertThat(RestoreReport.builder().id("r").build().steps()).isEmpty();
    }
}
