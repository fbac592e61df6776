package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.run.ClusterVerifier;
import io.pitrconsole.recovery.run.Verification;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The checks of a restored cluster count every table's rows exactly, on a real server: names that
 * need quoting, a database name holding a tab, and more tables than one counting query can name
 * (those are counted one by one on the server).
 */
class RowCountsClusterTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static Verification verify(String schema) {
        return new ClusterVerifier(pg.cluster().pgContext()).verify(pg.cluster().connection(), "postgres", schema, OptionalInt.empty());
    }

    private static RestoreReport.Check check(Verification v, String name) {
        return v.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void namesThatNeedQuotingAreCountedExactlyAndDatabaseNamesComeWhole() {
        pg.cluster().sql("CREATE SCHEMA \"odd schema\"");
        pg.cluster().sql("CREATE TABLE \"odd schema\".\"it's a \"\"table\"\"\" AS SELECT g FROM generate_series(1, 1234) g");
        pg.cluster().sql("CREATE TABLE \"odd schema\".\"Mixed Case, and a comma\" AS SELECT g FROM generate_series(1, 7) g");
        pg.cluster().sql("CREATE TABLE \"odd schema\".empty (x int)");
        pg.cluster().sql("CREATE TABLE \"odd schema\".parted (x int) PARTITION BY RANGE (x)");
        pg.cluster().sql("CREATE TABLE \"odd schema\".parted_low PARTITION OF \"odd schema\".parted FOR VALUES FROM (0) TO (100)");
        pg.cluster().sql("INSERT INTO \"odd schema\".parted SELECT generate_series(0, 41)");
        pg.cluster().sql("CREATE DATABASE \"db\twith a tab\"");

        Verification v = verify("odd schema");

        assertThat(v.rowCounts()).containsOnly(
                java.util.Map.entry("\"odd schema\".\"it's a \"\"table\"\"\"", 1234L),
                java.util.Map.entry("\"odd schema\".\"Mixed Case, and a comma\"", 7L),
                java.util.Map.entry("\"odd schema\".empty", 0L),
                java.util.Map.entry("\"odd schema\".parted", 42L),
                java.util.Map.entry("\"odd schema\".parted_low", 42L));
        assertThat(check(v, "row counts").ok()).isTrue();
        assertThat(check(v, "databases").detail()).contains("db\twith a tab", "postgres", "template1");
        assertThat(check(v, "connect").detail()).isEqualTo("answers");
        assertThat(v.timeline()).isEqualTo(1);
    }

    @Test
    void moreTablesThanOneCountingQueryCanNameAreStillCountedEachExactly() {
        pg.cluster().sql("CREATE SCHEMA many");
        // 800 names of 63 characters make a counting query of about 145,000 characters, past what one psql argument takes
        pg.cluster().sql("DO $$ BEGIN FOR i IN 1..800 LOOP"
                + " EXECUTE format('CREATE TABLE many.%I AS SELECT generate_series(1, %s) AS x',"
                + " rpad('t' || i || '_', 63, 'x'), i % 5); END LOOP; END $$");

        Verification v = verify("many");

        assertThat(v.rowCounts()).hasSize(800);
        for (int i = 1; i <= 800; i++) {
            String name = ("t" + i + "_" + "x".repeat(63)).substring(0, 63);
            assertThat(v.rowCounts()).as(name).containsEntry("many." + name, (long) (i % 5));
        }
    }
}
