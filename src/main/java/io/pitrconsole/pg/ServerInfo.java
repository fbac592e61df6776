package io.pitrconsole.pg;

import io.pitrconsole.core.PitrException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Facts about a running server that a backup records and checks against. */
public record ServerInfo(PgVersion version, long systemIdentifier, long databaseSize, int timeline,
                         boolean replicationAllowed, String dataDirectory, long walSegmentSize, String logTimezone,
                         String archiveMode, int maxWalSenders) {

    /** Reads the facts over an open connection. */
    public static ServerInfo read(Connection c, ConnectionSettings settings) {
        // One round trip: this runs before every backup, so it should cost as little as possible.
        String sql = "SELECT current_setting('server_version_num')::int, s.system_identifier, cp.timeline_id,"
                + " (SELECT sum(pg_database_size(oid))::bigint FROM pg_database),"
                + " (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user),"
                + " CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR pg_has_role('pg_read_all_settings', 'member')"
                + "   THEN current_setting('data_directory') ELSE '' END,"
                + " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'),"
                + " current_setting('log_timezone'), current_setting('archive_mode'), current_setting('max_wal_senders')::int"
                + " FROM pg_control_system() s, pg_control_checkpoint() cp";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new ServerInfo(PgVersion.fromVersionNum(rs.getInt(1)), rs.getLong(2), rs.getLong(4), rs.getInt(3),
                    rs.getBoolean(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getInt(10));
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
