package io.pitrconsole.pg;

import io.pitrconsole.core.PitrException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/** Opens JDBC connections from {@link ConnectionSettings} and turns connection failures into hints. */
public final class PgConnections {
    private PgConnections() {
    }

    /** Opens a connection; the password comes from the password file, never from arguments. */
    public static Connection open(ConnectionSettings settings) {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("ApplicationName", "pitr-console");
        props.setProperty("connectTimeout", "10");
        settings.passFile().flatMap(f -> PgPassFile.lookup(f, settings)).ifPresent(pw -> props.setProperty("password", pw));
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), props);
        } catch (SQLException e) {
            throw translate(settings, e);
        }
    }

    static PitrException translate(ConnectionSettings settings, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        String where = settings.describe();
        if (state.equals("28P01") || msg.contains("password authentication failed")) {
            return new PitrException("the server at " + where + " rejected the password",
                    "check the password for this host, port and user in ~/.pgpass or the file named by PGPASSFILE", e);
        }
        if (msg.contains("no password") || msg.contains("password-based authentication")) {
            return new PitrException("the server at " + where + " wants a password and none was found",
                    "add a line host:port:*:user:password to ~/.pgpass (mode 0600) or set PGPASSFILE", e);
        }
        if (state.startsWith("08")) {
            return new PitrException("cannot connect to PostgreSQL at " + where + ": " + msg,
                    "check that the server runs and that host and port are right (-h/-p, PGHOST/PGPORT)", e);
        }
        if (state.equals("28000")) {
            return new PitrException("the server at " + where + " refused the connection: " + msg,
                    "allow this user and address in pg_hba.conf and reload the server", e);
        }
        if (state.equals("3D000")) {
            return new PitrException("database missing at " + where + ": " + msg, "pick an existing database with -d or PGDATABASE", e);
        }
        return new PitrException("database error at " + where + ": " + msg,
                FailureHints.hintFor(List.of(msg)).orElse("run with --verbose for details"), e);
    }

    /** Translates a failure of a query on an open connection. */
    public static PitrException queryFailed(ConnectionSettings settings, SQLException e) {
        return translate(settings, e);
    }
}
