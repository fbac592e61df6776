package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** restore check, list and verify against a real cluster and its archive. */
class RestoreVerbsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        var b = CliRunner.run(Map.of(), prod("backup", "create"));
        assertThat(b.exit()).as(b.err()).isZero();
        c.sql("INSERT INTO t SELECT generate_series(1, 42)");
        c.sql("SELECT pg_create_restore_point('verbs_point')");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT generate_series(1, 5)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT generate_series(1, 3)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    static String[] args(Path archive, String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", archive.toString(), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    static String[] args(String... verb) {
        return args(pg.cluster().archiveDir(), verb);
    }

    /** With the connection settings of the production cluster. */
    static String[] prod(String... verb) {
        List<String> a = new ArrayList<>(List.of(args(verb)));
        a.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port())));
        return a.toArray(String[]::new);
    }

    @Test
    void checkPassesOnAHealthyArchiveAndWarnsAboutTheRunningServerOfADataDir() throws Exception {
        var r = CliRunner.run(Map.of(), args("restore", "check"));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[pass] archive", "PostgreSQL programs", "version 15", "WAL gaps", "none", "free space",
                "destination access", "[pass] WAL archive access", "all prerequisites met");

        var d = CliRunner.run(Map.of(), args("restore", "check", "--data-dir", pg.cluster().dataDir().toString(), "--json"));
        assertThat(d.exit()).as(d.out() + d.err()).isEqualTo(1);
        JsonNode j = Json.mapper().readTree(d.out());
        assertThat(j.get("result").asText()).isEqualTo("warn");
        assertThat(check(j, "server").get("level").asText()).isEqualTo("warn");
        assertThat(check(j, "server").get("hint").asText()).contains("stops it");
        assertThat(check(j, "ownership").get("level").asText()).isEqualTo("pass");
    }

    @Test
    void checkFailsWithAHintWhenTheArchiveHasNoBackups() throws Exception {
        Path empty = Files.createTempDirectory("pitr-empty-archive-");
        Files.createDirectories(empty.resolve("wal_archive"));
        var r = CliRunner.run(Map.of(), args(empty, "restore", "check"));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.out()).contains("[fail] archive", "no complete backup", "hint: take one with 'backup create'",
                "[fail] recovery windows", "a restore would fail");
        assertThat(r.noStackTrace()).isTrue();

        var notData = CliRunner.run(Map.of(), args("restore", "check", "--data-dir", empty.toString()));
        assertThat(notData.exit()).isEqualTo(2);
        assertThat(notData.out()).contains("[fail] data directory", "not a PostgreSQL data directory (no PG_VERSION)");
        FileTrees.deleteRecursively(empty);
    }

    @Test
    void checkReportsAWalGapWithAHint() throws Exception {
        Path copy = copyArchiveWithoutState();
        List<Path> segments;
        try (Stream<Path> s = Files.list(copy.resolve("wal_archive"))) {
            segments = s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}(\\.gz|\\.zst)?")).sorted().toList();
        }
        Path removed = segments.get(segments.size() - 2);
        Files.delete(removed);
        var r = CliRunner.run(Map.of(), args(copy, "restore", "check", "--json"));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        JsonNode gaps = check(Json.mapper().readTree(r.out()), "WAL gaps");
        assertThat(gaps.get("level").asText()).isEqualTo("warn");
        assertThat(gaps.get("detail").asText()).contains(removed.getFileName().toString().substring(0, 24));
        assertThat(gaps.get("hint").asText()).contains("missing segments");
        FileTrees.deleteRecursively(copy);
    }

    @Test
    void checkFailsWhenCompressedSegmentsCannotBeDecompressed() throws Exception {
        Path copy = copyArchiveWithoutState();
        Path segment;
        try (Stream<Path> s = Files.list(copy.resolve("wal_archive"))) {
            segment = s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(segment.resolveSibling(segment.getFileName() + ".gz")))) {
            Files.copy(segment, out);
        }
        Files.delete(segment);

        var ok = CliRunner.run(Map.of(), args(copy, "restore", "check", "--json"));
        JsonNode found = check(Json.mapper().readTree(ok.out()), "decompression");
        assertThat(found.get("level").asText()).as(ok.out()).isEqualTo("pass");
        assertThat(found.get("detail").asText()).endsWith("/gzip");

        var missing = CliRunner.run(Map.of("PATH", "/nonexistent"), args(copy, "restore", "check", "--json"));
        assertThat(missing.exit()).as(missing.out() + missing.err()).isEqualTo(2);
        JsonNode failed = check(Json.mapper().readTree(missing.out()), "decompression");
        assertThat(failed.get("level").asText()).isEqualTo("fail");
        assertThat(failed.get("detail").asText()).contains("need gzip");
        assertThat(failed.get("hint").asText()).contains("apt-get install gzip");
        FileTrees.deleteRecursively(copy);
    }

    @Test
    void verifyAcceptsARehearsalPausedAtItsTarget() throws Exception {
        Path dir = Files.createTempDirectory("pitr-verify-paused-");
        var run = CliRunner.run(Map.of(), prod("restore", "run", "--to-name", "verbs_point", "--pause", "--keep", "--dir", dir.toString(), "--json"));
        assertThat(run.exit()).as(run.err() + run.out()).isZero();
        String id = Json.mapper().readTree(run.out()).get("id").asText();
        try {
            var v = CliRunner.run(Map.of(), args("restore", "verify", "--report", id));
            assertThat(v.exit()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("[ok  ] recovery ended", "paused at the target", "public.t=42", "timeline 1");
        } finally {
            var d = CliRunner.run(Map.of(), args("restore", "discard", dir.toString()));
            assertThat(d.exit()).as(d.err()).isZero();
        }
    }

    @Test
    void listShowsEachBackupsWindowAndTheRestorePoints() throws Exception {
        var r = CliRunner.run(Map.of(), args("restore", "list", "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        JsonNode backup = j.get("backups").get(0);
        assertThat(backup.get("id").asText()).startsWith("backup_");
        assertThat(backup.get("windows")).hasSize(1);
        JsonNode w = backup.get("windows").get(0);
        assertThat(w.get("timeline").asInt()).isEqualTo(1);
        assertThat(Json.mapper().convertValue(w.get("to"), java.time.Instant.class))
                .isAfter(Json.mapper().convertValue(w.get("from"), java.time.Instant.class));
        assertThat(backup.get("notRestorable").isNull()).isTrue();
        assertThat(j.get("restorePoints").findValuesAsText("name")).contains("verbs_point");

        var text = CliRunner.run(Map.of(), args("restore", "list"));
        assertThat(text.out()).contains(backup.get("id").asText(), "timeline 1: ", "Restore points:", "verbs_point");
    }

    @Test
    void verifyPassesOnAKeptRehearsalAndFailsOnTheWrongTimeline() throws Exception {
        Path dir = Files.createTempDirectory("pitr-verify-sandbox-");
        var run = CliRunner.run(Map.of(), prod("restore", "run", "--to-name", "verbs_point", "--keep", "--dir", dir.toString(), "--json"));
        assertThat(run.exit()).as(run.err() + run.out()).isZero();
        JsonNode report = Json.mapper().readTree(run.out());
        String id = report.get("id").asText();
        int tli = report.get("restoredTimeline").asInt();
        try {
            var v = CliRunner.run(Map.of(), args("restore", "verify", "--report", id, "--expect-timeline", String.valueOf(tli), "--json"));
            assertThat(v.exit()).as(v.out() + v.err()).isZero();
            JsonNode vj = Json.mapper().readTree(v.out());
            assertThat(vj.get("rowCounts").get("public.t").asLong()).isEqualTo(42);
            assertThat(vj.get("timeline").asInt()).isEqualTo(tli);
            assertThat(vj.get("checks").findValuesAsText("name")).contains("connect", "databases", "row counts", "timeline",
                    "recovery ended", "expected timeline");

            var byPort = CliRunner.run(Map.of(), args("restore", "verify", "-h", "127.0.0.1", "-p", report.get("port").asText()));
            assertThat(byPort.exit()).as(byPort.out() + byPort.err()).isZero();
            assertThat(byPort.out()).contains("[ok  ] row counts", "public.t=42", "all checks passed");

            // counting nothing is no pass: it says so, and where the tables are
            var empty = CliRunner.run(Map.of(), args("restore", "verify", "-h", "127.0.0.1", "-p", report.get("port").asText(),
                    "--schema", "nothing_here"));
            assertThat(empty.out()).contains("[warn] row counts", "nothing counted: no tables in schema nothing_here; the tables are in public");

            var wrong = CliRunner.run(Map.of(), args("restore", "verify", "--report", id, "--expect-timeline", "99"));
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.out()).contains("[FAIL] expected timeline", "expected 99, found " + tli, "verification FAILED");
        } finally {
            var d = CliRunner.run(Map.of(), args("restore", "discard", dir.toString()));
            assertThat(d.exit()).as(d.err()).isZero();
        }
        assertThat(dir).doesNotExist();
        var gone = CliRunner.run(Map.of(), args("restore", "verify", "--report", id));
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("left no kept rehearsal sandbox", "hint:");
    }

    @Test
    void verifyWhereNothingListensFailsWithAClearError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var r = CliRunner.run(Map.of(), args("restore", "verify", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: cannot connect to the restored cluster at 127.0.0.1:" + port, "hint: is it running?");
        assertThat(r.noStackTrace()).isTrue();

        var noPort = CliRunner.run(Map.of("PGPORT", ""), args("restore", "verify"));
        assertThat(noPort.exit()).isEqualTo(1);
        assertThat(noPort.err()).contains("needs the restored cluster's port");

        var unknown = CliRunner.run(Map.of(), args("restore", "verify", "--report", "restore_nonexistent"));
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no restore report with id restore_nonexistent", "hint: 'restore history'");
    }

    private static JsonNode check(JsonNode result, String name) {
        for (JsonNode c : result.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + result);
    }

    private static Path copyArchiveWithoutState() throws IOException {
        return pg.cluster().copyOfArchive("pitr-gap-archive-");
    }
}
