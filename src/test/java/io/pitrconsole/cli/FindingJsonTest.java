package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.cli.restore.RestoreCheckCommand;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Json;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.schedule.HealthMetrics;
import io.pitrconsole.schedule.HealthReport;
import io.pitrconsole.schedule.StatusServer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON that scripts read from 'archiving verify', 'restore check', 'health' and the status
 * endpoint of 'serve' stays byte for byte what it was when each had a finding type of its own
 * (the expected texts were printed by that code from the same values).
 */
class FindingJsonTest {
    private static final String VERIFY = """
[ {
  "check" : "wal_level",
  "level" : "pass",
  "detail" : "replica",
  "hint" : ""
}, {
  "check" : "archive_timeout",
  "level" : "warn",
  "detail" : "0 (off)",
  "hint" : "set archive_timeout = 60"
}, {
  "check" : "archive_command",
  "level" : "fail",
  "detail" : "failing since 10:00",
  "hint" : "fix it"
} ]""";

    private static final String RESTORE_CHECK = """
{
  "result" : "fail",
  "checks" : [ {
    "name" : "backup",
    "level" : "pass",
    "detail" : "backup_x is complete",
    "hint" : null
  }, {
    "name" : "free space",
    "level" : "warn",
    "detail" : "tight",
    "hint" : "add space"
  }, {
    "name" : "WAL gaps",
    "level" : "fail",
    "detail" : "2 missing",
    "hint" : "take a new backup"
  } ]
}""";

    private static final String HEALTH = """
{
  "status" : "critical",
  "checkedAt" : "2026-12-06T03:00:00.123Z",
  "archive" : "/srv/pitr",
  "checks" : [ {
    "check" : "newest backup",
    "level" : "ok",
    "detail" : "2 h old",
    "hint" : ""
  }, {
    "check" : "verification",
    "level" : "warning",
    "detail" : "never verified",
    "hint" : "run 'backup verify'"
  }, {
    "check" : "archiver",
    "level" : "critical",
    "detail" : "failing",
    "hint" : "fix archive_command"
  } ],
  "metrics" : {
    "backupsByStatus" : {
      "complete" : 1
    },
    "backupsBytes" : 1000,
    "newestBackupId" : "backup_x",
    "newestBackupTime" : "2026-12-06T01:00:00Z",
    "newestBackupAgeSeconds" : 7200.5,
    "newestBackupBytes" : 900,
    "lastVerified" : null,
    "serverUp" : null,
    "archiverArchivedCount" : null,
    "archiverFailedCount" : null,
    "archiverFailing" : null,
    "archiverLastFailedTime" : null,
    "newestWal" : null,
    "newestWalAgeSeconds" : null,
    "walArchiveBytes" : null,
    "walSegments" : null,
    "walGaps" : null,
    "freeBytes" : null,
    "lastArchivedTransaction" : null,
    "recoveryWindowEnd" : null
  }
}""";

    private static final String SERVE = """
{
  "status" : "critical",
  "checkedAt" : "2026-12-06T03:00:00.123Z",
  "archive" : "/srv/pitr",
  "checks" : [ {
    "check" : "newest backup",
    "level" : "ok",
    "detail" : "2 h old",
    "hint" : ""
  }, {
    "check" : "verification",
    "level" : "warning",
    "detail" : "never verified",
    "hint" : "run 'backup verify'"
  }, {
    "check" : "archiver",
    "level" : "critical",
    "detail" : "failing",
    "hint" : "fix archive_command"
  } ],
  "metrics" : {
    "backupsByStatus" : {
      "complete" : 1
    },
    "backupsBytes" : 1000,
    "newestBackupId" : "backup_x",
    "newestBackupTime" : "2026-12-06T01:00:00Z",
    "newestBackupAgeSeconds" : 7200.5,
    "newestBackupBytes" : 900,
    "lastVerified" : null,
    "serverUp" : null,
    "archiverArchivedCount" : null,
    "archiverFailedCount" : null,
    "archiverFailing" : null,
    "archiverLastFailedTime" : null,
    "newestWal" : null,
    "newestWalAgeSeconds" : null,
    "walArchiveBytes" : null,
    "walSegments" : null,
    "walGaps" : null,
    "freeBytes" : null,
    "lastArchivedTransaction" : null,
    "recoveryWindowEnd" : null
  }
}
""";

    private static HealthReport health() {
        HealthMetrics metrics = new HealthMetrics(Map.of("complete", 1L), 1000L, "backup_x", Instant.parse("2026-12-06T01:00:00Z"), 7200.5,
                900L, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        return new HealthReport(HealthLevel.CRITICAL, Instant.parse("2026-12-06T03:00:00.123Z"), "/srv/pitr",
                List.of(Finding.pass("newest backup", "2 h old"),
                        Finding.warn("verification", "never verified", Hint.of("run 'backup verify'", "click Verify on the Dashboard")),
                        Finding.fail("archiver", "failing", "fix archive_command")), metrics);
    }

    @Test
    void archivingVerify() throws Exception {
        List<Finding> findings = List.of(Finding.pass("wal_level", "replica"),
                Finding.warn("archive_timeout", "0 (off)", Hint.of("set archive_timeout = 60", "type 60 as the Archive timeout")),
                Finding.fail("archive_command", "failing since 10:00", "fix it"));

        assertThat(Json.mapper().writeValueAsString(findings)).isEqualTo(VERIFY);
    }

    @Test
    void restoreCheck() throws Exception {
        List<Finding> checks = List.of(Finding.pass("backup", "backup_x is complete"), Finding.warn("free space", "tight", "add space"),
                Finding.fail("WAL gaps", "2 missing", "take a new backup"));

        assertThat(Json.mapper().writeValueAsString(RestoreCheckCommand.json(checks, 2))).isEqualTo(RESTORE_CHECK);
    }

    @Test
    void healthCheck() throws Exception {
        assertThat(Json.mapper().writeValueAsString(health())).isEqualTo(HEALTH);
    }

    @Test
    void serveStatusEndpoint() throws Exception {
        HealthReport report = health();
        try (StatusServer s = StatusServer.start("127.0.0.1", 0, () -> report, Clock.systemUTC(), Duration.ofSeconds(5))) {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + s.port() + "/api/backup-status").toURL()
                    .openConnection();
            // critical answers 503, with the same body
            assertThat(c.getResponseCode()).isEqualTo(503);
            assertThat(new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(SERVE);
        }
    }
}
