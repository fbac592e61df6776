package io.pitrconsole.recovery.run;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.report.RestoreReport;
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

    /** Waits until the server answers (the log may say ready a moment before connections are served). */
    void awaitConnectable(Duration timeout, Cancellation cancel) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            cancel.throwIfCancelled("waiting for the restored server");
            try {
                sql.one("SELECT 1");
                return;
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
        boolean inRecovery = "t".equals(sql.one("SELECT pg_is_in_recovery()"));
        checks.add(new RestoreReport.Check("connect", true, inRecovery ? "answers (read-only, recovery paused)" : "answers"));
        List<String> dbs = sql.query("SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1").stream().map(r -> r.get(0)).toList();
        checks.add(new RestoreReport.Check("databases", !dbs.isEmpty(), String.join(", ", dbs)));
        Map<String, Long> counts = new LinkedHashMap<>();
        checks.add(rowCounts(schema, counts));
        // pg_walfile_name() is refused during recovery; the checkpoint's timeline is what a paused server has.
        String tli = inRecovery ? sql.one("SELECT timeline_id FROM pg_control_checkpoint()")
                : String.valueOf(Integer.parseInt(sql.one("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"), 16));
        Integer timeline = tli == null ? null : Integer.valueOf(tli);
        checks.add(new RestoreReport.Check("timeline", timeline != null, "timeline " + tli));
        return new Result(checks, counts, timeline, inRecovery);
    }

    private RestoreReport.Check rowCounts(String schema, Map<String, Long> counts) {
        try {
            List<List<String>> rows = sql.query(countQuery("n.nspname = " + SqlProbe.literal(schema)));
            String prefix = "";
            if (rows.isEmpty()) {
                // a pass that counted nothing proves nothing: look where the tables are
                List<List<String>> elsewhere = sql.query(countQuery("n.nspname NOT IN ('pg_catalog', 'information_schema')"
                        + " AND n.nspname NOT LIKE 'pg\\_%'"));
                if (elsewhere.isEmpty()) {
                    return new RestoreReport.Check("row counts", true, "nothing counted: the database has no tables", true);
                }
                List<String> schemas = elsewhere.stream().map(r -> r.get(0).substring(0, r.get(0).indexOf('.'))).distinct().toList();
                if (!"public".equals(schema)) {
                    return new RestoreReport.Check("row counts", true, "nothing counted: no tables in schema " + schema
                            + "; the tables are in " + String.join(", ", schemas), true);
                }
                // public is only the default: count where the tables are
                rows = elsewhere;
                prefix = "no tables in schema public; counted " + String.join(", ", schemas) + ": ";
            }
            rows.forEach(r -> counts.put(r.get(0), Long.parseLong(r.get(1))));
            return new RestoreReport.Check("row counts", true, prefix + String.join(", ", rows.stream().map(r -> r.get(0) + "=" + r.get(1)).toList()));
        } catch (PitrException e) {
            return new RestoreReport.Check("row counts", false, e.getMessage());
        }
    }

    private static String countQuery(String schemaCondition) {
        return "SELECT format('%I.%I', n.nspname, c.relname),"
                + " (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE " + schemaCondition + " AND c.relkind IN ('r', 'p') ORDER BY 1";
    }
}
