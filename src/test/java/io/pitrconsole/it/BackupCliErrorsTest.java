package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets one clear line of error and a hint, and nothing half-done is left behind. */
class BackupCliErrorsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("password_encryption", "'scram-sha-256'"));

    static final String SECRET = "c0rrect-h0rse";

    @BeforeAll
    static void roles() {
        pg.cluster().sql("CREATE ROLE pwuser LOGIN REPLICATION PASSWORD '" + SECRET + "'");
        pg.cluster().sql("CREATE ROLE norepl LOGIN");
        pg.cluster().prependHba("host all pwuser 127.0.0.1/32 scram-sha-256\nhost replication pwuser 127.0.0.1/32 scram-sha-256");
    }

    private String[] args(String... more) {
        return Stream.concat(Stream.of(more), Stream.of("--archive", pg.cluster().archiveDir().toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "--history-wait", "5")).toArray(String[]::new);
    }

    private static void assertCleanError(CliRunner.Result r, String messagePart, String hintPart) {
        assertThat(r.exit()).as(r.err()).isNotZero();
        assertThat(r.err()).contains("error: ").contains(messagePart);
        assertThat(r.err()).contains("hint: ").contains(hintPart);
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
    }

    private List<String> backupDirs() throws Exception {
        try (var s = Files.list(pg.cluster().archiveDir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup_") && !n.endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void unreachableServer() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        List<String> before = backupDirs();
        var r = CliRunner.run(Map.of(), "backup", "create", "--archive", pg.cluster().archiveDir().toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(closedPort), "-U", "postgres");
        assertCleanError(r, "cannot connect", "server runs");
        assertThat(backupDirs()).isEqualTo(before);
    }

    @Test
    void wrongPasswordFromPasswordFile(@TempDir Path tmp) throws Exception {
        Path pass = tmp.resolve("pgpass");
        Files.writeString(pass, "*:*:*:pwuser:not-the-password\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        var r = CliRunner.run(Map.of("PGPASSFILE", pass.toString()), args("backup", "create", "-U", "pwuser"));
        assertCleanError(r, "rejected the password", "PGPASSFILE");
    }

    @Test
    void rightPasswordFromPasswordFileNeverShowsUpInVerboseOutput(@TempDir Path tmp) throws Exception {
        Path pass = tmp.resolve("pgpass");
        Files.writeString(pass, "*:*:*:pwuser:" + SECRET + "\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        var r = CliRunner.run(Map.of("PGPASSFILE", pass.toString()), args("backup", "create", "-U", "pwuser", "--verbose", "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        var record = Json.mapper().readTree(r.out());
        assertThat(record.get("status").asText()).isEqualTo("complete");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @Test
    void roleWithoutReplicationPermission() throws Exception {
        List<String> before = backupDirs();
        var r = CliRunner.run(Map.of(), args("backup", "create", "-U", "norepl"));
        assertCleanError(r, "may not take base backups", "REPLICATION");
        assertThat(backupDirs()).isEqualTo(before);
    }

    @Test
    void archiveDirectoryMissing(@TempDir Path tmp) {
        var r = CliRunner.run(Map.of(), "backup", "create", "--archive", tmp.resolve("nope").toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres");
        assertCleanError(r, "does not exist", "mkdir -p");
        assertThat(tmp.resolve("nope")).doesNotExist();
    }

    @Test
    void unknownBackupId() {
        var r = CliRunner.run(Map.of(), "backup", "show", "backup_20990101_000000", "--archive", pg.cluster().archiveDir().toString());
        assertCleanError(r, "no backup backup_20990101_000000", "backup list");
        var bad = CliRunner.run(Map.of(), "backup", "verify", "../../etc", "--archive", pg.cluster().archiveDir().toString());
        assertCleanError(bad, "not a backup id", "backup list");
    }

    @Test
    void handEditedBackupJsonIsReportedNotTrustedAndNotRewritten() throws Exception {
        var created = CliRunner.run(Map.of(), args("backup", "create", "-U", "postgres", "--json"));
        assertThat(created.exit()).as(created.err()).isZero();
        String id = Json.mapper().readTree(created.out()).get("id").asText();
        Path json = pg.cluster().archiveDir().resolve(id).resolve("backup.json");
        String broken = Files.readString(json).replaceFirst("\"status\"", "status");
        Files.writeString(json, broken);

        assertCleanError(CliRunner.run(Map.of(), "backup", "show", id, "--archive", pg.cluster().archiveDir().toString()),
                "does not parse", "left unchanged");
        assertCleanError(CliRunner.run(Map.of(), "backup", "verify", id, "--archive", pg.cluster().archiveDir().toString()),
                "does not parse", "left unchanged");
        var list = CliRunner.run(Map.of(), "backup", "list", "--archive", pg.cluster().archiveDir().toString());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(id).contains("unreadable");
        assertThat(Files.readString(json)).isEqualTo(broken);

        var deleted = CliRunner.run(Map.of(), "backup", "delete", id, "--yes", "--archive", pg.cluster().archiveDir().toString());
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(pg.cluster().archiveDir().resolve(id)).doesNotExist();
    }

    @Test
    void deleteAsksAndDoesNothingWithoutYes() throws Exception {
        var created = CliRunner.run(Map.of(), args("backup", "create", "-U", "postgres", "--json"));
        String id = Json.mapper().readTree(created.out()).get("id").asText();
        var noInput = CliRunner.run(Map.of(), "backup", "delete", id, "--archive", pg.cluster().archiveDir().toString());
        assertCleanError(noInput, "cannot ask for confirmation", "--yes");
        var no = CliRunner.runWithInput(Map.of(), "no\n", "backup", "delete", id, "--archive", pg.cluster().archiveDir().toString());
        assertThat(no.exit()).isNotZero();
        assertThat(pg.cluster().archiveDir().resolve(id).resolve("backup.json")).exists();
        var yes = CliRunner.runWithInput(Map.of(), "yes\n", "backup", "delete", id, "--archive", pg.cluster().archiveDir().toString());
        assertThat(yes.exit()).as(yes.err()).isZero();
        assertThat(pg.cluster().archiveDir().resolve(id)).doesNotExist();
    }

    @Test
    void badOptionValueIsAUsageError() {
        var r = CliRunner.run(Map.of(), args("backup", "create", "--compress", "brotli"));
        assertCleanError(r, "unknown compression 'brotli'", "zstd, lz4, gzip, none");
        var usage = CliRunner.run(Map.of(), "backup", "list", "--frobnicate");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown option").contains("hint: ");
    }

    @Test
    void listShowStatsAndVerifyWorkFromTheCli() throws Exception {
        var created = CliRunner.run(Map.of(), args("backup", "create", "-U", "postgres", "--compress", "gzip", "--label", "nightly"));
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("complete").contains("gzip");
        var listJson = Json.mapper().readTree(CliRunner.run(Map.of(), "backup", "list", "--json", "--archive",
                pg.cluster().archiveDir().toString()).out());
        var newest = listJson.get("backups").get(0);
        assertThat(newest.get("label").asText()).isEqualTo("nightly");
        String id = newest.get("id").asText();

        var verify = CliRunner.run(Map.of(), "backup", "verify", id, "--archive", pg.cluster().archiveDir().toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains(id + ": OK");

        var show = CliRunner.run(Map.of(), "backup", "show", id, "--json", "--archive", pg.cluster().archiveDir().toString());
        assertThat(Json.mapper().readTree(show.out()).get("status").asText()).isEqualTo(BackupStatus.VERIFIED.label());

        var stats = Json.mapper().readTree(CliRunner.run(Map.of(), "backup", "stats", "--json", "--archive",
                pg.cluster().archiveDir().toString()).out());
        assertThat(stats.get("usable").asInt()).isPositive();
        assertThat(stats.get("averageCompressionRatio").asDouble()).isGreaterThan(1.0);
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeAnythingConnects() throws Exception {
        var r = CliRunner.run(Map.of(), "backup", "create", "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1", "-p", "99999");
        assertCleanError(r, "port 99999 is out of range", "1 to 65535");
        assertThat(r.err()).doesNotContain("org.postgresql").doesNotContain("WARNING");
    }

    @Test
    void anArchiveThatIsAFileIsCalledNotADirectoryByEveryVerb(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("archive.txt"), "not an archive");
        for (String[] verb : new String[][] {{"backup", "list"}, {"windows"}, {"restore", "history"}, {"wal", "status"}}) {
            String[] args = new String[verb.length + 2];
            System.arraycopy(verb, 0, args, 0, verb.length);
            args[verb.length] = "--archive";
            args[verb.length + 1] = file.toString();
            assertCleanError(CliRunner.run(Map.of(), args), "is not a directory", "--archive DIR");
        }
    }

    @Test
    void restoreHistoryOfAMissingArchiveIsAnErrorNotAnEmptyHistory(@TempDir Path tmp) {
        var r = CliRunner.run(Map.of(), "restore", "history", "--archive", tmp.resolve("nope").toString());
        assertCleanError(r, "does not exist", "--archive DIR");
        assertThat(r.out()).doesNotContain("no restores yet");
    }

    @Test
    void aMissingArgumentIsOneErrorLineWithoutPicocliPrefix() {
        var r = CliRunner.run(Map.of(), "backup", "show", "--archive", pg.cluster().archiveDir().toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Missing required").doesNotContain("Error: ").contains("hint: ");
    }
}
