package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.repository.PgBackRestOptions;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.session.ClusterServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An in-place restore from a real pgBackRest stanza on the command line, and its rollback: the
 * set is placed by pgBackRest into a new directory while the old one is kept aside, the server
 * fetches its WAL with archive-get at its own data directory, archives its new timeline back into
 * the stanza with archive-push, and the rollback puts the old directory back with every row.
 */
class PgBackRestInPlaceTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on", "autovacuum", "off"));

    private static PgBackRestStanza stanza;
    private static Path cacheHome;
    private static final List<Instant> commits = new ArrayList<>();

    @BeforeAll
    static void fullBackupThenTwoBatchesOfCommits() throws Exception {
        PgTestCluster c = pg.cluster();
        cacheHome = Files.createTempDirectory("pitr-pgbr-cache-");
        c.sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
        stanza = PgBackRestStanza.create(c, "inplace", Map.of());
        stanza.backup("full");
        waitUntilPast(c, lastStop() + 1);
        for (int batch = 0; batch < 2; batch++) {
            try (Connection con = c.connect(); Statement st = con.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = st.executeQuery("INSERT INTO ledger(note) VALUES ('batch " + batch + "') RETURNING txid_current()")) {
                        rs.next();
                        long xid = rs.getLong(1);
                        try (Statement ts = con.createStatement();
                             ResultSet t = ts.executeQuery("SELECT pg_xact_commit_timestamp('" + xid + "'::xid)")) {
                            t.next();
                            commits.add(t.getTimestamp(1).toInstant());
                        }
                    }
                }
            }
            stanza.switchWalAndWaitArchived(Duration.ofSeconds(60));
        }
    }

    private static long lastStop() throws Exception {
        return Json.mapper().readTree(stanza.pgbackrest(Duration.ofSeconds(30), "info", "--output=json"))
                .at("/0/backup").findValues("timestamp").stream().mapToLong(t -> t.path("stop").asLong()).max().orElseThrow();
    }

    /** pgBackRest keeps a set's stop to the second, so the window opens a second after it. */
    private static void waitUntilPast(PgTestCluster c, long epochSecond) throws Exception {
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            for (int i = 0; i < 100; i++) {
                try (ResultSet rs = st.executeQuery("SELECT extract(epoch FROM clock_timestamp())")) {
                    rs.next();
                    if (rs.getDouble(1) > epochSecond) {
                        return;
                    }
                }
                st.execute("SELECT pg_sleep(0.05)");
            }
        }
        throw new IllegalStateException("the server's clock did not pass " + epochSecond);
    }

    @AfterAll
    static void removeStanza() throws Exception {
        if (stanza != null) {
            stanza.close();
        }
        if (cacheHome != null) {
            FileTrees.deleteRecursively(cacheHome);
        }
    }

    private static Map<String, String> env() {
        return PgBackRestStanza.cliEnv(cacheHome);
    }

    private static String[] withCluster(String... args) {
        return stanza.cliArgs(pg.cluster(), args);
    }

    private static List<String> stanzaFiles() throws Exception {
        try (var files = Files.walk(stanza.repo().resolve("archive").resolve(stanza.name()))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void restoresInPlaceToATimeBetweenTwoCommitsArchivesTheNewTimelineIntoTheStanzaAndRollsBack() throws Exception {
        PgTestCluster c = pg.cluster();
        String archiveCommandBefore = c.queryOne("SHOW archive_command");
        Instant before = commits.get(3);
        Instant after = commits.get(4);
        Instant between = before.plus(Duration.between(before, after).dividedBy(2)).truncatedTo(ChronoUnit.MICROS);
        assertThat(between).isAfter(before).isBefore(after);
        String to = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").format(between.atOffset(ZoneOffset.UTC));

        CliRunner.Result run = CliRunner.run(env(), withCluster("restore", "run", "--to", to, "--in-place", "--data-dir",
                c.dataDir().toString(), "--yes"));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.noStackTrace()).isTrue();
        assertThat(c.queryOne("SELECT count(*) FROM ledger")).isEqualTo("4");
        assertThat(c.queryOne("SELECT pg_is_in_recovery()")).isEqualTo("f");
        var repository = ClusterServices.openRepository(stanza.location(), S3Options.NONE, PgBackRestOptions.NONE, env());
        RestoreReport report = new RestoreReports(repository).list().get(0);
        assertThat(report.status()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(report.steps()).anySatisfy(s -> assertThat(s.detail()).contains("placed by the repository"));
        // the WAL came through archive-get run at the new data directory (its pg1-path), not from pg_wal
        assertThat(report.walSegmentsRestored()).isPositive();
        Path aside = Path.of(report.movedAside().get(c.dataDir().toString()));
        assertThat(aside.resolve("PG_VERSION")).isRegularFile();
        // the set's own ALTER SYSTEM settings are back; no recovery settings are left behind, pgBackRest's or the console's
        assertThat(Files.readString(c.dataDir().resolve("postgresql.auto.conf"))).contains("archive-push").doesNotContain("restore_command");
        // the restored server archives with pgBackRest's archive-push into the same stanza
        assertThat(c.queryOne("SHOW archive_command")).isEqualTo(archiveCommandBefore).contains("archive-push", "--stanza=" + stanza.name());
        String timeline = c.queryOne("SELECT timeline_id FROM pg_control_checkpoint()");
        assertThat(timeline).isEqualTo("2");
        String newSegment = stanza.switchWalAndWaitArchived(Duration.ofSeconds(60));
        assertThat(newSegment).startsWith("00000002");
        assertThat(stanzaFiles()).contains("00000002.history").anyMatch(f -> f.startsWith(newSegment + "-"));
        JsonNode archive = Json.mapper().readTree(stanza.pgbackrest(Duration.ofSeconds(30), "info", "--output=json")).at("/0/archive/0");
        assertThat(archive.path("max").asText()).startsWith("00000002");

        CliRunner.Result back = CliRunner.run(env(), withCluster("restore", "rollback", "--data-dir", c.dataDir().toString()));

        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        assertThat(back.out()).contains("rolled back");
        assertThat(aside).doesNotExist();
        assertThat(c.queryOne("SELECT count(*) FROM ledger")).isEqualTo("6");
        assertThat(c.queryOne("SELECT timeline_id FROM pg_control_checkpoint()")).isEqualTo("1");
        assertThat(c.queryOne("SHOW archive_command")).isEqualTo(archiveCommandBefore);
        // production goes on archiving its own timeline into the stanza
        String oldTimeline = stanza.switchWalAndWaitArchived(Duration.ofSeconds(60));
        assertThat(oldTimeline).startsWith("00000001");
        assertThat(stanzaFiles()).anyMatch(f -> f.startsWith(oldTimeline + "-"));
    }
}
