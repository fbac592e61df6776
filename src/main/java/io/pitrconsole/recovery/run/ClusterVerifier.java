package io.pitrconsole.recovery.run;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.recovery.report.RestoreReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Runs a rehearsal's verification queries against a cluster that is already running, plus the
 * two things a rehearsal knows by itself: the timeline expected, and that recovery has ended
 * (or is deliberately paused at the target).
 */
public final class ClusterVerifier {
    private final PgContext pg;

    public ClusterVerifier(PgContext pg) {
        this.pg = pg;
    }

    /** Runs the checks against the cluster the connection settings reach; the password comes from the password file. */
    public Verification verify(ConnectionSettings connection, String database, String schema, OptionalInt expectTimeline) {
        SqlProbe sql = SqlProbe.viaConnection(pg.installation(Optional.empty()), pg.runner(), connection, database);
        return verify(sql, connection.host() + ":" + connection.port(), schema, expectTimeline);
    }

    public static Verification verify(SqlProbe sql, String server, String schema, OptionalInt expectTimeline) {
        try {
            sql.one("SELECT 1");
        } catch (PitrException e) {
            throw new PitrException("cannot connect to the restored cluster at " + server + ": " + e.getMessage().replaceFirst(
                    "^query on the restored server failed: ", "").replaceAll("\\s+", " "),
                    "is it running? 'restore history' shows kept rehearsals and their ports; check -h/-p (or --report)");
        }
        RestoreChecks.Result r = new RestoreChecks(sql).run(schema);
        List<RestoreReport.Check> checks = new ArrayList<>(r.checks());
        if (r.inRecovery()) {
            // pg_get_wal_replay_pause_state() came with 14 (a call is refused at parse time before); 13 only says paused or not
            boolean hasPauseState = Integer.parseInt(sql.one("SELECT current_setting('server_version_num')")) >= 140000;
            String state = sql.one(hasPauseState ? "SELECT pg_get_wal_replay_pause_state()"
                    : "SELECT CASE WHEN pg_is_wal_replay_paused() THEN 'paused' ELSE 'not paused' END");
            checks.add(new RestoreReport.Check("recovery ended", "paused".equals(state),
                    "paused".equals(state) ? "paused at the target (read-only; pg_wal_replay_resume() promotes)"
                            : "still in recovery (replay " + state + "): the target was not reached yet or recovery waits for WAL"));
        } else {
            checks.add(new RestoreReport.Check("recovery ended", true, "not in recovery, accepts writes"));
        }
        expectTimeline.ifPresent(t -> checks.add(new RestoreReport.Check("expected timeline",
                r.timeline() != null && r.timeline() == t, "expected " + t + ", found " + r.timeline())));
        return new Verification(server, checks, r.rowCounts(), r.timeline(), r.inRecovery());
    }
}
