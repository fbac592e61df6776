package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Damaged or odd archive state, on a real cluster's archive: what the verbs say about it. */
@Timeout(300)
class ArchiveEdgeCasesTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path tmp;

    @BeforeAll
    static void oneBackupAndSomeWal() {
        var b = CliRunner.run(Map.of(), args("backup", "create"));
        assertThat(b.exit()).as(b.err()).isZero();
        pg.cluster().sql("CREATE TABLE t AS SELECT generate_series(1, 1000) AS id");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static String[] args(String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void backupShowCallsAnInterruptedBackupFailedAsBackupListDoes() throws Exception {
        String orphan = "backup_20000101_000000";
        Path dir = Files.createDirectories(pg.cluster().archiveDir().resolve(orphan));
        Files.writeString(dir.resolve("backup.json"), "{\"formatVersion\":1,\"id\":\"" + orphan
                + "\",\"status\":\"running\",\"compression\":\"zstd\",\"sizeBytes\":0,\"originalSizeBytes\":0,\"port\":5432}");
        try {
            var list = CliRunner.run(Map.of(), args("backup", "list", "--json"));
            var show = CliRunner.run(Map.of(), args("backup", "show", orphan, "--json"));

            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(show.exit()).as(show.err()).isZero();
            String listed = null;
            for (JsonNode b : Json.mapper().readTree(list.out()).path("backups")) {
                if (b.path("id").asText().equals(orphan)) {
                    listed = b.path("status").asText();
                }
            }
            assertThat(listed).isEqualTo("failed");
            assertThat(Json.mapper().readTree(show.out()).path("status").asText()).isEqualTo(listed);
        } finally {
            io.pitrconsole.core.FileTrees.deleteRecursively(dir);
        }
    }

    @Test
    void aGarbageHistoryFileIsNamedWithItsBytesEscaped() throws Exception {
        Path history = pg.cluster().walArchive().resolve("00000007.history");
        Files.write(history, new byte[] {'1', 9, 0x1b, '[', '2', 'J', 0x1b, ']', '0', ';', 'p', 'w', 'n', 7, (byte) 0xff, (byte) 0xfe, '\n'});
        try {
            var status = CliRunner.run(Map.of(), args("wal", "status"));
            var windows = CliRunner.run(Map.of(), args("windows"));
            var cleanup = CliRunner.run(Map.of(), args("cleanup", "--dry-run"));

            for (CliRunner.Result r : List.of(status, windows, cleanup)) {
                String all = r.out() + r.err();
                assertThat(all).contains("00000007.history");
                assertThat(all).as("no raw escape or bell reaches the terminal").doesNotContain("\u001b").doesNotContain("\u0007");
            }
            assertThat(status.out() + status.err()).contains("\\x1b[2J");
            assertThat(windows.out() + windows.err()).contains("\\x1b[2J");
        } finally {
            Files.delete(history);
        }
    }

    /** The CLI in its own JVM, where its warnings reach standard error as a user sees them. */
    private static String[] ownProcess(String... verb) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.pitrconsole.Main", verb[0], verb[1], "--archive",
                pg.cluster().archiveDir().toString())).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return new String[] {out, err};
    }

    @Test
    void aTruncatedWalIndexCacheIsRebuiltWithAWarningThatSaysWhy() throws Exception {
        ownProcess("wal", "status");
        Path cache = pg.cluster().archiveDir().resolve(".pitr/wal-index.bin");
        byte[] bytes = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        String[] again = ownProcess("wal", "status");

        assertThat(again[1]).contains("wal-index.bin").doesNotContain("null");
        assertThat(again[0]).contains("damaged segments: none");
    }

    @Test
    void aTornProfilesFileIsOnlyAWarningForAVerbGivenArchive() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config/pitr-console"));
        Files.writeString(config.resolve("profiles.json"), "{\"defaultProfile\": \"prod\", \"profiles\": [ {\"name\": \"pr");
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString());

        var list = CliRunner.run(env, args("backup", "list"));
        var health = CliRunner.run(env, args("health", "--no-server"));
        var named = CliRunner.run(env, args("backup", "list", "--profile", "prod"));

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("backup_");
        assertThat(list.err()).contains("warning: cannot read profiles from");
        assertThat(health.exit()).as(health.err()).isLessThan(2);
        assertThat(named.exit()).as("a profile asked for by name still needs the file").isNotZero();
    }

    @Test
    void restoreCheckInPlaceDoesNotAskTheServerUserToWriteTheParentDirectory() throws Exception {
        // like /srv/pgdata: the parent belongs to root, the data directory to the server's user
        Path parent = Files.createDirectories(tmp.resolve("srv"));
        Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(parent.resolve("pgdata"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        pg.cluster().giveToServerUser(data);

        var r = CliRunner.run(Map.of(), args("restore", "check", "--latest", "--data-dir", data.toString(), "--json"));

        JsonNode access = null;
        for (JsonNode c : Json.mapper().readTree(r.out()).path("checks")) {
            if (c.path("name").asText().equals("destination access")) {
                access = c;
            }
        }
        assertThat(access).as(r.out() + r.err()).isNotNull();
        assertThat(access.path("level").asText()).as(access.toString()).isEqualToIgnoringCase("pass");
    }

    private static Map<String, String> archiveFiles() throws Exception {
        Map<String, String> m = new java.util.TreeMap<>();
        Path root = pg.cluster().archiveDir();
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    @Test
    void aRehearsalWritesOnlyItsReportAndTheWalIndexCacheIntoTheArchive() throws Exception {
        CliRunner.run(Map.of(), args("wal", "status"));
        Map<String, String> before = archiveFiles();

        var r = CliRunner.run(Map.of(), args("restore", "run", "--latest", "--rehearsal", "--json"));

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        String id = Json.mapper().readTree(r.out()).path("id").asText();
        Map<String, String> after = archiveFiles();
        java.util.Set<String> changed = new java.util.TreeSet<>();
        after.forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                changed.add(k);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(changed::add);
        // the production server goes on archiving meanwhile; that is not the rehearsal's doing
        changed.removeIf(k -> k.startsWith("wal_archive/"));
        changed.remove(".pitr/wal-index.bin");
        assertThat(changed).containsExactly(".pitr/reports/" + id + ".json", ".pitr/reports/" + id + ".txt");
    }
}
