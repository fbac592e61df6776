package io.pitrconsole.archiving;

import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows of pg_settings: the value in effect and whether a changed value waits for a restart. */
record ServerSettings(Map<String, Row> rows) {

    /** One setting as this backend sees it. */
    record Row(String name, String setting, boolean pendingRestart) {
    }

    static ServerSettings read(Connection c, ConnectionSettings settings, Collection<String> names) {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT name, setting, pending_restart FROM pg_settings WHERE name = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        } catch (SQLException e) {
            throw PgConnections.queryFailed(settings, e);
        }
        return new ServerSettings(rows);
    }

    String value(String name) {
        Row r = rows.get(name);
        return r == null ? "" : r.setting();
    }

    /** False when the server does not know the setting (archive_library before PostgreSQL 15). */
    boolean has(String name) {
        return rows.containsKey(name);
    }

    boolean pendingRestart(String name) {
        Row r = rows.get(name);
        return r != null && r.pendingRestart();
    }
}
