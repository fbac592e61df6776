package io.pitrconsole.archiving;

import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/** One reading of pg_stat_archiver. */
public record ArchiverCounters(long archivedCount, String lastArchivedWal, Instant lastArchivedTime, long failedCount,
                               String lastFailedWal, Instant lastFailedTime, Instant statsReset) {

    /** Reads pg_stat_archiver over an open connection. */
    public static ArchiverCounters read(Connection c, ConnectionSettings settings) {
        String sql = "SELECT archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal,"
                + " last_failed_time, stats_reset FROM pg_stat_archiver";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new ArchiverCounters(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getLong(4),
                    rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)));
        } catch (SQLException e) {
            throw PgConnections.queryFailed(settings, e);
        }
    }

    /** True when the last attempt failed (a failure is newer than the last success). */
    public boolean failing() {
        return lastFailedTime != null && (lastArchivedTime == null || lastFailedTime.isAfter(lastArchivedTime));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
