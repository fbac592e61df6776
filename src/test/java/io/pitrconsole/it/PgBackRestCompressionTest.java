package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WAL that pgBackRest archived compressed with lz4 (the LZ4 frame format) and with bz2, read by
 * the console's own WAL reader: a real stanza for each, with a full backup and commits after it,
 * and the window ends at the last commit to the microsecond.
 */
class PgBackRestCompressionTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on", "autovacuum", "off"));

    private static Path cacheHome;

    @BeforeAll
    static void table() throws Exception {
        cacheHome = Files.createTempDirectory("pitr-pgbr-cache-");
        pg.cluster().sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
    }

    @AfterAll
    static void removeCache() throws Exception {
        if (cacheHome != null) {
            FileTrees.deleteRecursively(cacheHome);
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("XDG_CACHE_HOME", cacheHome.toString());
        env.put("HOME", cacheHome.toString());
        return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lz4", "bz2"})
    void windowsEndAtTheLastCommitOfWalCompressedSo(String compressType) throws Exception {
        PgTestCluster c = pg.cluster();
        try (PgBackRestStanza stanza = PgBackRestStanza.create(c, compressType, Map.of("compress-type", compressType))) {
            stanza.backup("full");
            long stop = Json.mapper().readTree(stanza.pgbackrest(Duration.ofSeconds(30), "info", "--output=json"))
                    .at("/0/backup").findValues("timestamp").stream().mapToLong(t -> t.path("stop").asLong()).max().orElseThrow();
            List<Instant> commits = new ArrayList<>();
            try (Connection con = c.connect(); Statement st = con.createStatement()) {
                // pgBackRest keeps a set's stop to the second, so the window opens a second after it
                for (int i = 0; i < 100; i++) {
                    try (ResultSet rs = st.executeQuery("SELECT extract(epoch FROM clock_timestamp())")) {
                        rs.next();
                        if (rs.getDouble(1) > stop + 1) {
                            break;
                        }
                    }
                    st.execute("SELECT pg_sleep(0.05)");
                }
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = st.executeQuery("INSERT INTO ledger(note) VALUES ('" + compressType + "') RETURNING txid_current()")) {
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
            String segment = stanza.switchWalAndWaitArchived(Duration.ofSeconds(60));
            assertThat(stanza.segmentFile(segment).getFileName().toString()).endsWith("." + compressType);

            RecoveryWindows w = new WindowService(ClusterServices.openRepository(stanza.location(), S3Options.NONE, PgBackRestOptions.NONE, env()))
                    .windows(ProgressListener.NONE, Cancellation.none());

            assertThat(w.gaps()).isEmpty();
            RecoveryWindow last = w.windows().get(w.windows().size() - 1);
            assertThat(last.to()).isEqualTo(commits.get(commits.size() - 1));
            assertThat(last.endedByGap()).isEmpty();
        }
    }

    /** Before, the check asked for gzip on PATH for gz WAL, and called lz4 WAL "not compressed". */
    @ParameterizedTest
    @ValueSource(strings = {"gz", "lz4"})
    void restoreCheckSaysArchiveGetDecompressesTheWal(String compressType) throws Exception {
        PgTestCluster c = pg.cluster();
        try (PgBackRestStanza stanza = PgBackRestStanza.create(c, "check" + compressType, Map.of("compress-type", compressType))) {
            stanza.backup("full");
            c.sql("INSERT INTO ledger(note) VALUES ('check')");
            String segment = stanza.switchWalAndWaitArchived(Duration.ofSeconds(60));
            assertThat(stanza.segmentFile(segment).getFileName().toString()).endsWith("." + compressType);

            CliRunner.Result r = CliRunner.run(env(), "restore", "check", "--latest", "--json", "--archive", stanza.location(),
                    "-U", PgTestCluster.SUPERUSER, "--pg-bin", c.installation().binDir().toString());

            assertThat(r.noStackTrace()).isTrue();
            JsonNode decompression = null;
            for (JsonNode check : Json.mapper().readTree(r.out()).get("checks")) {
                if (check.get("name").asText().equals("decompression")) {
                    decompression = check;
                }
            }
            assertThat(decompression).as(r.out() + r.err()).isNotNull();
            assertThat(decompression.get("level").asText()).isEqualTo("pass");
            assertThat(decompression.get("detail").asText())
                    .isEqualTo("pgBackRest's archive-get decompresses the stanza's " + compressType
                            + " WAL segments itself, restore_command runs no other program");
        }
    }
}
