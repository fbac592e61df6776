package io.pitrconsole.wal;

import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real WAL with everything the reader must understand: plain commits, a rollback, a commit with
 * many subtransactions, prepared transactions committed and rolled back (some dropping tables),
 * restore points, checkpoints, records bigger than a page and records crossing segment
 * boundaries, then a forced segment switch.
 */
final class WalWorkload {
    /** Settings the workload needs from the cluster. */
    static final Map<String, String> SETTINGS = Map.of("max_prepared_transactions", "5", "track_commit_timestamp", "on");

    /** What the server itself said about the workload, to check the reader against. */
    record Facts(Map<Long, Instant> commitTimes, Map<String, Instant[]> restorePointWindows) {
    }

    private WalWorkload() {
    }

    static Facts run(PgTestCluster c) throws SQLException {
        Map<Long, Instant> commits = new LinkedHashMap<>();
        Map<String, Instant[]> points = new LinkedHashMap<>();
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            st.execute("CREATE TABLE acct(id int PRIMARY KEY, note text)");
            for (int i = 0; i < 30; i++) {
                long xid = longOf(st, "INSERT INTO acct VALUES (" + i + ", 'n') RETURNING txid_current()");
                commits.put(xid, null);
            }
            con.setAutoCommit(false);
            st.execute("INSERT INTO acct VALUES (-1, 'rolled back')");
            con.rollback();
            con.setAutoCommit(true);
            restorePoint(st, "before batch", points);
            st.execute("DO $$ BEGIN FOR i IN 1..1500 LOOP BEGIN INSERT INTO acct VALUES (1000 + i, 's'); "
                    + "EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$");
            st.execute("CREATE TABLE doomed(a int)");
            st.execute("BEGIN");
            st.execute("INSERT INTO acct VALUES (5000, 'prepared')");
            st.execute("DROP TABLE doomed");
            st.execute("PREPARE TRANSACTION 'p1'");
            st.execute("COMMIT PREPARED 'p1'");
            st.execute("BEGIN");
            st.execute("CREATE TABLE never(a int)");
            st.execute("PREPARE TRANSACTION 'p2'");
            st.execute("ROLLBACK PREPARED 'p2'");
            restorePoint(st, "point ü 2", points);
            st.execute("CHECKPOINT");
            // 100 kB records: some of them straddle segment boundaries
            st.execute("SELECT pg_logical_emit_message(false, 'pitr', repeat('x', 100000)) FROM generate_series(1, 250)");
            for (int i = 0; i < 5; i++) {
                long xid = longOf(st, "INSERT INTO acct VALUES (" + (9000 + i) + ", repeat('y', 3000)) RETURNING txid_current()");
                commits.put(xid, null);
            }
            for (Long xid : new ArrayList<>(commits.keySet())) {
                try (ResultSet rs = st.executeQuery("SELECT pg_xact_commit_timestamp('" + xid + "'::xid)")) {
                    rs.next();
                    Timestamp ts = rs.getTimestamp(1);
                    commits.put(xid, ts.toInstant());
                }
            }
        }
        c.switchWalAndWaitArchived(Duration.ofSeconds(60));
        return new Facts(commits, points);
    }

    private static void restorePoint(Statement st, String name, Map<String, Instant[]> points) throws SQLException {
        Instant before = instantOf(st, "SELECT clock_timestamp()");
        st.execute("SELECT pg_create_restore_point('" + name + "')");
        Instant after = instantOf(st, "SELECT clock_timestamp()");
        points.put(name, new Instant[] {before, after});
    }

    private static long longOf(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instantOf(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** The archived segment files (plain names only), oldest first. */
    static List<Path> segments(Path walArchive) throws IOException {
        try (Stream<Path> s = Files.list(walArchive)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).sorted().toList();
        }
    }

    static WalSegmentName nameOf(Path file) {
        return WalSegmentName.parse(file.getFileName().toString(), WalSegmentName.DEFAULT_SEGMENT_SIZE);
    }
}
