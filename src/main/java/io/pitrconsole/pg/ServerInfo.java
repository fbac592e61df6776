package io.pitrconsole.pg;

import io.pitrconsole.core.PitrException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Facts about a running server that a backup records and checks against. */
public record ServerInfo(PgVersion version, long systemIdentifier, long databaseSize, int timeline,
                         boolean replicationAllowed, String dataDirectory, long walSegmentSize, String logTimezone,
                         String archiveMode) {

    /** Reads the facts over an open connection. */
    public static ServerInfo read(Connection c, ConnectionSettings settings) {
        try (Statement st = c.createStatement()) {
            int versionNum;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                versionNum = rs.getInt(1);
            }
            long sysid;
            int tli;
            try (ResultSet rs = st.executeQuery(
                    "SELECT s.system_identifier, c.timeline_id FROM pg_control_system() s, pg_control_checkpoint() c")) {
                rs.next();
                sysid = rs.getLong(1);
                tli = rs.getInt(2);
            }
            long size;
            try (ResultSet rs = st.executeQuery("SELECT sum(pg_database_size(oid))::bigint FROM pg_database")) {
                rs.next();
                size = rs.getLong(1);
            }
            boolean repl;
            try (ResultSet rs = st.executeQuery("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
                repl = rs.next() && rs.getBoolean(1);
            }
            String dataDir = "";
            try (ResultSet rs = st.executeQuery(
                    "SELECT CASE WHEN pg_has_role('pg_read_all_settings','member') OR (SELECT rolsuper FROM pg_roles WHERE rolname=current_user) "
                            + "THEN current_setting('data_directory') ELSE '' END")) {
                if (rs.next()) {
                    dataDir = rs.getString(1);
                }
            }
            long segSize;
            String logTz;
            String archiveMode;
            try (ResultSet rs = st.executeQuery("SELECT (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'), "
                    + "current_setting('log_timezone'), current_setting('archive_mode')")) {
                rs.next();
                segSize = rs.getLong(1);
                logTz = rs.getString(2);
                archiveMode = rs.getString(3);
            }
            return new ServerInfo(PgVersion.fromVersionNum(versionNum), sysid, size, tli, repl, dataDir, segSize, logTz, archiveMode);
        } catch (SQLException e) {
            throw PgConnections.queryFailed(settings, e);
        }
    }

    /** Reads the facts with a fresh connection. */
    public static ServerInfo read(ConnectionSettings settings) {
        try (Connection c = PgConnections.open(settings)) {
            return read(c, settings);
        } catch (SQLException e) {
            throw new PitrException("could not close connection to " + settings.describe(), "", e);
        }
    }
}
