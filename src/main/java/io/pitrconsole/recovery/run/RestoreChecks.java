package io.pitrconsole.recovery.run;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.report.RestoreReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sanity checks a restored cluster must pass: it answers, it lists its databases, every table
 * of the chosen schema can be counted, and it is on the timeline recovery should have produced.
 */
final class RestoreChecks {
    /** The longest counting query sent as one psql argument (Linux allows 128 KiB for one). */
    private static final int MAX_QUERY = 100_000;
    private final SqlProbe sql;

    RestoreChecks(SqlProbe sql) {
        this.sql = sql;
    }

    /** What the checks found. */
    record Result(List<RestoreReport.Check> checks, Map<String, Long> rowCounts, Integer timeline, boolean inRecovery) {
        boolean ok() {
            return checks.stream().allMatch(RestoreReport.Check::ok);
        }
    }

    /**
     * Waits until the server answers {@code query} (the log may say ready a moment before
     * connections are served); its first value.
     */
    String awaitAnswer(String query, Duration timeout, Cancellation cancel) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            cancel.throwIfCancelled("waiting for the restored server");
            try {
                return sql.one(query);
            } catch (PitrException e) {
                if (System.nanoTime() > deadline) {
                    throw new PitrException("the restored server does not answer queries: " + e.getMessage(),
                            "see the server log of the restore");
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.CancelledException("waiting for the restored server was interrupted");
            }
        }
    }

    Result run(String schema) {
        List<RestoreReport.Check> checks = new ArrayList<>();
        // One query for what the server says of itself and for the tables to count (each psql started costs about
        // 20 ms); pg_walfile_name() is refused during recovery (CASE does not call it then), and the checkpoint's
        // timeline is what a paused server has. Names go as JSON: they may hold tabs.
        String inSchema = "n.nspname = " + SqlProbe.literal(schema);
        List<String> self = sql.query("SELECT pg_is_in_recovery(),"
                + " (SELECT coalesce(json_agg(datname ORDER BY datname), '[]') FROM pg_database WHERE datallowconn),"
                + " CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id::text FROM pg_control_checkpoint())"
                + " ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END,"
                + " (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (SELECT format('%I.%I', n.nspname, c.relname) AS t"
                + tablesWhere(inSchema) + ") AS listed)").get(0);
        boolean inRecovery = "t".equals(self.get(0));
        checks.add(new RestoreReport.Check("connect", true, inRecovery ? "answers (read-only, recovery paused)" : "answers"));
        List<String> dbs = names(self.get(1), "list of databases");
        checks.add(new RestoreReport.Check("databases", !dbs.isEmpty(), String.join(", ", dbs)));
        Map<String, Long> counts = new LinkedHashMap<>();
        checks.add(rowCounts(schema, inSchema, names(self.get(3), "list of tables"), counts));
        String tli = self.get(2).isEmpty() ? null : inRecovery ? self.get(2) : String.valueOf(Integer.parseInt(self.get(2), 16));
        Integer timeline = tli == null ? null : Integer.valueOf(tli);
        checks.add(new RestoreReport.Check("timeline", timeline != null, "timeline " + tli));
        return new Result(checks, counts, timeline, inRecovery);
    }

    private static List<String> names(String json, String what) {
        try {
            return List.of(Json.mapper().readValue(json, String[].class));
        } catch (IOException e) {
            throw new PitrException("the restored server's " + what + " is unreadable: " + e.getMessage(), "see the server log of the restore");
        }
    }

    /** Counts the tables listed in the schema (where is the condition that listed them), else says where the tables are. */
    private RestoreReport.Check rowCounts(String schema, String where, List<String> inSchema, Map<String, Long> counts) {
        try {
            List<String> tables = inSchema;
            String prefix = "";
            if (tables.isEmpty()) {
                // a pass that counted nothing proves nothing: look where the tables are
                String anywhere = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";
                List<String> elsewhere = tables(anywhere);
                if (elsewhere.isEmpty()) {
                    return new RestoreReport.Check("row counts", true, "nothing counted: the database has no tables", true);
                }
                List<String> schemas = sql.query("SELECT DISTINCT n.nspname" + tablesWhere(anywhere) + " ORDER BY 1").stream()
                        .map(r -> r.get(0)).toList();
                if (!"public".equals(schema)) {
                    return new RestoreReport.Check("row counts", true, "nothing counted: no tables in schema " + schema
                            + "; the tables are in " + String.join(", ", schemas), true);
                }
                // public is only the default: count where the tables are
                tables = elsewhere;
                where = anywhere;
                prefix = "no tables in schema public; counted " + String.join(", ", schemas) + ": ";
            }
            List<List<String>> rows = count(tables, where);
            rows.forEach(r -> counts.put(r.get(0), Long.parseLong(r.get(1))));
            return new RestoreReport.Check("row counts", true, prefix + String.join(", ", rows.stream().map(r -> r.get(0) + "=" + r.get(1)).toList()));
        } catch (PitrException e) {
            return new RestoreReport.Check("row counts", false, e.getMessage());
        }
    }

    /** The tables (and partitioned tables) matching the condition on n (pg_namespace) and c (pg_class), quoted as SQL names. */
    private List<String> tables(String condition) {
        return sql.query("SELECT format('%I.%I', n.nspname, c.relname)" + tablesWhere(condition) + " ORDER BY 1").stream()
                .map(r -> r.get(0)).toList();
    }

    /** FROM and WHERE of a query over the tables and partitioned tables matching the condition on n and c. */
    private static String tablesWhere(String condition) {
        return " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + condition + " AND c.relkind IN ('r', 'p')";
    }

    /**
     * Each table's exact row count, in one query. Every row is read anyway, so the counts go by
     * (parallel) sequential scans: the statistics of a restored cluster can send the planner to an
     * index-only scan whose visibility map no longer holds, which then visits every heap tuple by
     * index order (about 40% slower on pgbench's 2M accounts).
     */
    private List<List<String>> count(List<String> tables, String condition) {
        StringBuilder q = new StringBuilder();
        for (String t : tables) {
            q.append(q.length() == 0 ? "" : " UNION ALL ").append("SELECT ").append(SqlProbe.literal(t)).append(", count(*) FROM ").append(t);
        }
        if (q.length() > MAX_QUERY) {
            // too long for one command-line argument: the server counts them one by one (no parallel scans in query_to_xml)
            return sql.query("SELECT format('%I.%I', n.nspname, c.relname), (xpath('/row/n/text()', query_to_xml(format("
                    + "'SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text" + tablesWhere(condition) + " ORDER BY 1");
        }
        return sql.withOptions("-c enable_indexonlyscan=off -c enable_indexscan=off -c enable_bitmapscan=off")
                .query("SELECT t, n::text FROM (" + q + ") AS counted(t, n) ORDER BY 1");
    }
}
