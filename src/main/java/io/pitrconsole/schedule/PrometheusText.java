package io.pitrconsole.schedule;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A health report in the Prometheus text exposition format (version 0.0.4): HELP and TYPE
 * before each family's samples, base units (seconds, bytes), unknown values left out.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder sb = new StringBuilder();

    private PrometheusText() {
    }

    /** Renders the report's numbers. */
    public static String render(HealthReport r) {
        PrometheusText p = new PrometheusText();
        HealthMetrics m = r.metrics();
        p.gauge("pitr_health_status", "Overall health: 0 ok, 1 warning, 2 critical.", r.status().exitCode());
        p.family("pitr_backups", "gauge", "Backups in the archive by status.");
        for (Map.Entry<String, Long> e : m.backupsByStatus().entrySet()) {
            p.sample("pitr_backups{status=\"" + e.getKey() + "\"}", e.getValue());
        }
        p.gauge("pitr_backups_size_bytes", "Disk space of all backups, as recorded in backup.json.", m.backupsBytes());
        p.gauge("pitr_backup_newest_timestamp_seconds", "When the newest restorable backup finished (Unix time).", seconds(m.newestBackupTime()));
        p.gauge("pitr_backup_newest_age_seconds", "Age of the newest restorable backup.", m.newestBackupAgeSeconds());
        p.gauge("pitr_backup_newest_size_bytes", "Disk space of the newest restorable backup.", m.newestBackupBytes());
        p.gauge("pitr_backup_last_verified_timestamp_seconds", "When a backup was last verified (Unix time).", seconds(m.lastVerified()));
        p.gauge("pitr_server_up", "1 when pg_stat_archiver could be read from the server.", flag(m.serverUp()));
        p.counter("pitr_archiver_archived_total", "WAL files archived (pg_stat_archiver.archived_count).", m.archiverArchivedCount());
        p.counter("pitr_archiver_failed_total", "Failed archive attempts (pg_stat_archiver.failed_count).", m.archiverFailedCount());
        p.gauge("pitr_archiver_failing", "1 when the archiver's last attempt failed.", flag(m.archiverFailing()));
        p.gauge("pitr_wal_newest_age_seconds", "Age of the newest archived WAL segment (RPO).", m.newestWalAgeSeconds());
        p.gauge("pitr_wal_archive_size_bytes", "Disk space of wal_archive/.", m.walArchiveBytes());
        p.gauge("pitr_wal_archive_segments", "WAL segments in wal_archive/.", m.walSegments());
        p.gauge("pitr_wal_missing_segments", "Segments missing between the first and last archived segment of each timeline.", m.walGaps());
        p.gauge("pitr_wal_last_transaction_timestamp_seconds", "Newest commit or abort time found in the archived WAL (Unix time).",
                seconds(m.lastArchivedTransaction()));
        p.gauge("pitr_archive_free_bytes", "Free space on the archive's file system.", m.freeBytes());
        p.gauge("pitr_recovery_window_end_timestamp_seconds", "The newest moment the archive can restore to (Unix time).",
                seconds(m.recoveryWindowEnd()));
        return p.sb.toString();
    }

    private void gauge(String name, String help, Number value) {
        one(name, "gauge", help, value);
    }

    private void counter(String name, String help, Number value) {
        one(name, "counter", help, value);
    }

    private void one(String name, String type, String help, Number value) {
        if (value != null) {
            family(name, type, help);
            sample(name, value);
        }
    }

    private void family(String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String nameAndLabels, Number value) {
        String v = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : value.toString();
        sb.append(nameAndLabels).append(' ').append(v).append('\n');
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }

    private static Integer flag(Boolean b) {
        return b == null ? null : b ? 1 : 0;
    }
}
