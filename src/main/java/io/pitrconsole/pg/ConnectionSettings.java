package io.pitrconsole.pg;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom to connect, following libpq's conventions: explicit values win, then
 * PGHOST/PGPORT/PGUSER/PGDATABASE, then defaults. Passwords are never held here: libpq and the
 * JDBC driver both read them from ~/.pgpass or the file named by PGPASSFILE.
 */
public record ConnectionSettings(String host, int port, String user, String database, Optional<Path> passFile) {

    /** Resolves settings from flags (null when not given) and the environment. */
    public static ConnectionSettings resolve(String host, Integer port, String user, String database,
                                             Map<String, String> env) {
        String h = firstNonBlank(host, env.get("PGHOST"), "localhost");
        int p = port != null ? port : parsePort(env.get("PGPORT"));
        String u = firstNonBlank(user, env.get("PGUSER"), System.getProperty("user.name"));
        String d = firstNonBlank(database, env.get("PGDATABASE"), "postgres");
        Optional<Path> pass = Optional.ofNullable(env.get("PGPASSFILE")).filter(s -> !s.isBlank()).map(Path::of);
        return new ConnectionSettings(h, p, u, d, pass);
    }

    public static ConnectionSettings local(int port, String user) {
        return new ConnectionSettings("127.0.0.1", port, user, "postgres", Optional.empty());
    }

    public ConnectionSettings withPassFile(Path file) {
        return new ConnectionSettings(host, port, user, database, Optional.of(file));
    }

    /** libpq arguments for a PostgreSQL program (no password, ever). */
    public List<String> toolArgs() {
        return List.of("-h", host, "-p", String.valueOf(port), "-U", user);
    }

    /** Environment for a PostgreSQL program: only the password file location, if one is set. */
    public Map<String, String> toolEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        passFile.ifPresent(f -> env.put("PGPASSFILE", f.toString()));
        // A stray PGPASSWORD in our own environment would bypass the password file rules.
        return env;
    }

    public String jdbcUrl() {
        String h = host.startsWith("/") ? "localhost" : host;
        return "jdbc:postgresql://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + "/" + database;
    }

    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static int parsePort(String text) {
        if (text == null || text.isBlank()) {
            return 5432;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new io.pitrconsole.core.PitrException("PGPORT='" + text + "' is not a port number", "set PGPORT to a number such as 5432");
        }
    }
}
