package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.PgBackRestOptions;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.session.ClusterServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pgBackRest stanza as the console's repository, against real pgBackRest and PostgreSQL 15: a
 * full backup, commits, an incr backup, more commits each in its own archived segment. The
 * catalog comes from 'pgbackrest info'; the windows from the console's own reading of the WAL
 * pgBackRest archived (gz-compressed), to the microsecond of the server's commit times. The test
 * that removes a WAL file from the repository runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestRepositoryTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on", "autovacuum", "off"));

    private static PgBackRestStanza stanza;
    private static Path cacheHome;
    private static String full;
    private static String incr;
    private static final List<Instant> commits = new ArrayList<>();
    private static final List<String> segments = new ArrayList<>();

    @BeforeAll
    static void fullThenIncrWithCommitsBetween() throws Exception {
        PgTestCluster c = pg.cluster();
        cacheHome = Files.createTempDirectory("pitr-pgbr-cache-");
        c.sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
        stanza = PgBackRestStanza.create(c, "main", Map.of());
        stanza.backup("full");
        commitBatch(c, "after full");
        stanza.backup("incr");
        waitUntilWindowOpens(c);
        for (int batch = 0; batch < 2; batch++) {
            if (batch == 1) {
                c.sql("SELECT pg_create_restore_point('before the second batch')");
            }
            commitBatch(c, "after incr " + batch);
        }
        List<String> labels = Json.mapper().readTree(stanza.pgbackrest(Duration.ofSeconds(30), "info", "--output=json"))
                .at("/0/backup").findValuesAsText("label");
        full = labels.get(0);
        incr = labels.get(1);
    }

    /**
     * pgBackRest records a set's stop to the second, so a window from it starts a second later:
     * the commits the window must reach come after that.
     */
    private static void waitUntilWindowOpens(PgTestCluster c) throws Exception {
        long stop = Json.mapper().readTree(stanza.pgbackrest(Duration.ofSeconds(30), "info", "--output=json"))
                .at("/0/backup").findValues("timestamp").stream().mapToLong(t -> t.path("stop").asLong()).max().orElseThrow();
        Instant opens = Instant.ofEpochSecond(stop + 1);
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            for (int i = 0; i < 100; i++) {
                try (ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
                    rs.next();
                    if (rs.getTimestamp(1).toInstant().isAfter(opens)) {
                        return;
                    }
                }
                st.execute("SELECT pg_sleep(0.05)");
            }
        }
        throw new IllegalStateException("the server's clock did not pass " + opens);
    }

    /** Three commits with their server-recorded times, then the segment they are in forced out and archived. */
    private static void commitBatch(PgTestCluster c, String note) throws SQLException {
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            for (int i = 0; i < 3; i++) {
                long xid;
                try (ResultSet rs = st.executeQuery("INSERT INTO ledger(note) VALUES ('" + note + "') RETURNING txid_current()")) {
                    rs.next();
                    xid = rs.getLong(1);
                }
                try (ResultSet rs = st.executeQuery("SELECT pg_xact_commit_timestamp('" + xid + "'::xid)")) {
                    rs.next();
                    commits.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        segments.add(stanza.switchWalAndWaitArchived(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void removeStanza() throws Exception {
        if (stanza != null) {
            stanza.close();
        }
        if (cacheHome != null) {
            io.pitrconsole.core.FileTrees.deleteRecursively(cacheHome);
        }
    }

    private static Map<String, String> env() {
        return PgBackRestStanza.cliEnv(cacheHome);
    }

    private static Repository repository(String location) {
        return ClusterServices.openRepository(location, S3Options.NONE, PgBackRestOptions.NONE, env());
    }

    @Test
    @Order(1)
    void catalogListsTheFullAndIncrSetsFromPgBackRestInfo() {
        List<BackupRecord> records = new BackupCatalog(repository(stanza.location())).records();

        assertThat(records).extracting(BackupRecord::id).containsExactlyInAnyOrder(full, incr);
        BackupRecord i = records.stream().filter(r -> r.id().equals(incr)).findFirst().orElseThrow();
        assertThat(i.label()).isEqualTo("pgBackRest incr based on " + full + ", references " + full);
        assertThat(i.status().usable()).isTrue();
        assertThat(i.timeline()).isEqualTo(1);
        assertThat(i.pgVersion()).isEqualTo("15");
        assertThat(i.systemIdentifier()).isEqualTo(pg.cluster().queryOne("SELECT system_identifier::text FROM pg_control_system()"));
        assertThat(i.startLsn()).isNotNull();
        assertThat(i.stopLsn()).isGreaterThan(i.startLsn());
        assertThat(i.originalSizeBytes()).isPositive();
        assertThat(i.sizeBytes()).isPositive().isLessThan(records.stream().filter(r -> r.id().equals(full)).findFirst().orElseThrow().sizeBytes());
    }

    @Test
    @Order(2)
    void backupListShowAndStatsOnTheCommandLine() throws Exception {
        Map<String, String> env = env();
        CliRunner.Result list = CliRunner.run(env, "backup", "list", "--json", "--archive", "pgbackrest://" + stanza.name(),
                "--pgbackrest-config", stanza.config().toString());
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode json = Json.mapper().readTree(list.out());
        assertThat(json.findValuesAsText("id")).contains(full, incr);

        CliRunner.Result show = CliRunner.run(env, "backup", "show", incr, "--archive", stanza.location());
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains(incr).contains("pgBackRest incr based on " + full);

        CliRunner.Result stats = CliRunner.run(env, "backup", "stats", "--archive", stanza.location());
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.noStackTrace()).isTrue();
    }

    @Test
    @Order(3)
    void windowsEndAtTheLastCommitToTheMicrosecond() {
        RecoveryWindows w = new WindowService(repository(stanza.location())).windows(ProgressListener.NONE, Cancellation.none());

        assertThat(w.gaps()).isEmpty();
        RecoveryWindow last = w.windows().stream().filter(r -> r.backupId().equals(incr)).findFirst().orElseThrow();
        assertThat(last.timeline()).isEqualTo(1);
        assertThat(last.to()).isEqualTo(commits.get(commits.size() - 1));
        assertThat(last.endedByGap()).isEmpty();
        assertThat(w.windows()).anySatisfy(r -> assertThat(r.backupId()).isEqualTo(full));
    }

    @Test
    @Order(4)
    void aSecondLoadFetchesNoWalAgain() {
        Repository r = repository(stanza.location());
        io.pitrconsole.wal.WalArchiveIndex first = io.pitrconsole.wal.WalArchiveIndex.load(r, ProgressListener.NONE, Cancellation.none());
        io.pitrconsole.wal.WalArchiveIndex again = io.pitrconsole.wal.WalArchiveIndex.load(repository(stanza.location()),
                ProgressListener.NONE, Cancellation.none());

        assertThat(first.segments()).isNotEmpty();
        assertThat(again.segmentsRead()).isZero();
    }

    @Test
    @Order(4)
    void restorePointsWalStatusAndPlansOnTheCommandLine() throws Exception {
        io.pitrconsole.wal.WalArchiveIndex index = io.pitrconsole.wal.WalArchiveIndex.load(repository(stanza.location()),
                ProgressListener.NONE, Cancellation.none());
        // pgBackRest's backup makes restore points of its own ("pgBackRest Archive Check"): they are real ones too
        assertThat(index.restorePoints()).extracting(io.pitrconsole.wal.RestorePoint::name).contains("pgBackRest Archive Check");
        assertThat(index.restorePoints()).filteredOn(p -> !p.name().startsWith("pgBackRest")).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("before the second batch");
            assertThat(p.time()).isAfter(commits.get(5)).isBefore(commits.get(6));
            assertThat(p.timeline()).isEqualTo(1);
        });

        CliRunner.Result status = CliRunner.run(env(), "wal", "status", "--json", "--archive", stanza.location());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.noStackTrace()).isTrue();

        CliRunner.Result plan = CliRunner.run(env(), "restore", "plan", "--to-name", "before the second batch", "--archive", stanza.location());
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).contains(incr);

        CliRunner.Result beyond = CliRunner.run(env(), "restore", "plan", "--to", commits.get(commits.size() - 1).plusSeconds(3600).toString(),
                "--archive", stanza.location());
        assertThat(beyond.exit()).isNotZero();
        assertThat(beyond.err()).contains("hint:");
        assertThat(beyond.noStackTrace()).isTrue();
    }

    @Test
    @Order(5)
    void aStanzaThatDoesNotExistIsSaidWithAHint() {
        assertThatThrownBy(() -> new BackupCatalog(repository("pgbackrest://nosuch?config=" + stanza.config())).records())
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("stanza 'nosuch'").hasMessageContaining("does not exist")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("stanza-create"));

        CliRunner.Result cli = CliRunner.run(env(), "backup", "list", "--archive", "pgbackrest://nosuch", "--pgbackrest-config",
                stanza.config().toString());
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err()).contains("does not exist").contains("stanza-create");
        assertThat(cli.noStackTrace()).isTrue();
    }

    @Test
    @Order(6)
    void pgBackRestMissingIsSaidWithAHint() {
        Map<String, String> env = env();
        env.put("PATH", cacheHome.toString());
        CliRunner.Result cli = CliRunner.run(env, "backup", "list", "--archive", stanza.location());
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err()).contains("pgBackRest is not installed").contains("apt install pgbackrest");
        assertThat(cli.noStackTrace()).isTrue();
    }

    @Test
    @Order(7)
    void anAbsentRepositoryNumberIsSaidWithAHint() {
        CliRunner.Result cli = CliRunner.run(env(), "backup", "list", "--archive", stanza.location(), "--pgbackrest-repo", "2");
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err()).contains("--pgbackrest-repo");
        assertThat(cli.noStackTrace()).isTrue();
    }

    @Test
    @Order(7)
    void theArchiveCommandIsOnePgBackRestAcceptsWithARepositoryNamed() {
        Repository r = repository(stanza.location() + "&repo=1");
        String archive = r.wal().archiveCommand().setting();
        // archive-push takes no --repo (it pushes to every repository): pgBackRest refuses the option
        assertThat(archive).contains("--stanza=" + stanza.name()).contains("archive-push %p").doesNotContain("--repo");
        assertThat(r.wal().restoreCommand(java.util.Optional.empty())).contains("--repo=1").contains("archive-get");
    }

    @Test
    @Order(7)
    void cleanupAndDeleteLeaveTheStanzaToPgBackRest() throws Exception {
        CliRunner.Result dry = CliRunner.run(env(), "cleanup", "--dry-run", "--archive", stanza.location());
        assertThat(dry.exit()).isNotZero();
        assertThat(dry.out()).doesNotContain("would remove");
        assertThat(dry.err()).contains("pgbackrest expire");

        CliRunner.Result delete = CliRunner.run(env(), "backup", "delete", full, "--yes", "--archive", stanza.location());
        assertThat(delete.exit()).isNotZero();
        assertThat(delete.err()).contains("expire --set=" + full);
        assertThat(new BackupCatalog(repository(stanza.location())).records()).extracting(BackupRecord::id).contains(full);
    }

    @Test
    @Order(8)
    void anEncryptedRepositoryWhosePassphraseIsOutOfReachIsSaidSo() throws Exception {
        String pass = "correct horse battery staple";
        try (PgBackRestStanza enc = PgBackRestStanza.createOnly(pg.cluster(), "sealed",
                Map.of("repo1-cipher-type", "aes-256-cbc", "repo1-cipher-pass", pass))) {
            Path noPass = enc.configWithout("repo1-cipher-pass", null);
            CliRunner.Result missing = CliRunner.run(env(), "backup", "list", "--archive", "pgbackrest://sealed", "--pgbackrest-config", noPass.toString());
            assertThat(missing.exit()).isNotZero();
            assertThat(missing.err()).contains("encrypted").contains("PGBACKREST_REPO1_CIPHER_PASS").contains("never takes a passphrase as an argument");
            assertThat(missing.noStackTrace()).isTrue();

            Path wrongPass = enc.configWithout("repo1-cipher-pass", "repo1-cipher-pass=not the passphrase");
            CliRunner.Result wrong = CliRunner.run(env(), "backup", "list", "--archive", "pgbackrest://sealed", "--pgbackrest-config", wrongPass.toString());
            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.err()).contains("is encrypted and pgBackRest cannot decrypt it").doesNotContain("not the passphrase");

            // the passphrase reaches pgBackRest through its environment, never an argument
            Map<String, String> env = env();
            env.put("PGBACKREST_REPO1_CIPHER_PASS", pass);
            CliRunner.Result given = CliRunner.run(env, "backup", "list", "--archive", "pgbackrest://sealed", "--pgbackrest-config", noPass.toString());
            assertThat(given.exit()).as(given.err()).isZero();
            assertThat(given.out()).doesNotContain(pass);
        }
    }

    @Test
    @Order(9)
    void aRehearsalToATimeBetweenTwoCommitsHasExactlyThatTimesRows() {
        Instant before = commits.get(4);
        Instant after = commits.get(5);
        Instant between = before.plus(Duration.between(before, after).dividedBy(2)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        assertThat(between).isAfter(before).isBefore(after);
        RestoreService service = new RestoreService(repository(stanza.location()), pg.cluster().pgContext());

        RestorePlan plan = service.plan(RestoreRequest.rehearsal(RecoveryTarget.time(between.atOffset(ZoneOffset.UTC))),
                ProgressListener.NONE, Cancellation.none());
        assertThat(plan.backupId()).isEqualTo(incr);
        List<String> steps = new ArrayList<>();
        RestoreReport r = service.run(plan, new RestoreListener() {
            @Override
            public void stepStarted(String step) {
                steps.add(step);
            }
        }, Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.rowCounts()).containsEntry("public.ledger", 5L);
        assertThat(r.rtoSeconds()).isPositive();
        assertThat(r.steps()).anySatisfy(st -> assertThat(st.detail()).contains("placed by the repository"));
    }

    @Test
    @Order(9)
    void aTargetBeforeEveryBackupIsRefusedBeforeAnythingRuns() {
        RestoreService service = new RestoreService(repository(stanza.location()), pg.cluster().pgContext());
        assertThatThrownBy(() -> service.plan(RestoreRequest.rehearsal(RecoveryTarget.time(Instant.parse("2001-01-01T00:00:00Z")
                .atOffset(ZoneOffset.UTC))), ProgressListener.NONE, Cancellation.none())).isInstanceOf(PitrException.class);
    }

    @Test
    @Order(10)
    void aWalFileRemovedFromTheRepositoryIsAGapThatEndsTheWindow() throws Exception {
        // the segment of the first commits after the incr: the window from the incr ends before them
        String removed = segments.get(1);
        Files.delete(stanza.segmentFile(removed));

        RecoveryWindows w = new WindowService(repository(stanza.location())).windows(ProgressListener.NONE, Cancellation.none());

        RecoveryWindow fromIncr = w.windows().stream().filter(r -> r.backupId().equals(incr)).findFirst().orElseThrow();
        assertThat(fromIncr.endedByGap()).hasValueSatisfying(g -> assertThat(g.missing()).extracting(Object::toString).contains(removed));
        assertThat(fromIncr.to()).isBefore(commits.get(3));
        assertThat(w.covering(commits.get(4), java.util.OptionalInt.empty())).isEmpty();
        assertThat(w.gaps()).isNotEmpty();

        CliRunner.Result text = CliRunner.run(env(), "windows", "--archive", stanza.location());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains(removed);
    }

    @Test
    @Order(11)
    void backupCreateRunsPgBackRestBackupWithProgress() throws Exception {
        List<String> lines = new ArrayList<>();
        List<Long> done = new ArrayList<>();
        io.pitrconsole.backup.BackupService service = new io.pitrconsole.backup.BackupService(repository(stanza.location()), pg.cluster().pgContext());
        BackupRecord diff = service.create(io.pitrconsole.backup.BackupRequest.defaults(pg.cluster().connection()), java.util.Optional.of("diff"),
                (d, t, m) -> {
                    lines.add(m);
                    done.add(d);
                }, Cancellation.none()).backup();

        assertThat(diff.id()).endsWith("D").startsWith(full + "_");
        assertThat(diff.label()).startsWith("pgBackRest diff based on " + full);
        assertThat(lines).anyMatch(l -> l.contains("backup file"));
        assertThat(done).anyMatch(d -> d > 0 && d <= 10_000);

        CliRunner.Result cli = CliRunner.run(env(), "backup", "create", "--type", "incr", "--archive", stanza.location());
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("backup " + full + "_").contains("I complete").contains("pgBackRest incr based on " + diff.id());

        CliRunner.Result bad = CliRunner.run(env(), "backup", "create", "--type", "weekly", "--archive", stanza.location());
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("'weekly' is not a pgBackRest backup type");
    }

    @Test
    @Order(12)
    void healthReportsPgBackRestsOwnStatus() {
        CliRunner.Result cli = CliRunner.run(env(), "health", "--json", "--archive", stanza.location());
        assertThat(cli.out()).contains("pgBackRest stanza").contains("pgBackRest lock").contains("pgBackRest backup errors");
        assertThat(cli.noStackTrace()).isTrue();
    }

    @Test
    @Order(13)
    void backupVerifyRunsPgBackRestVerifyAndNamesTheDamagedSets() throws Exception {
        CliRunner.Result ok = CliRunner.run(env(), "backup", "verify", full, "--json", "--archive", stanza.location());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(Json.mapper().readTree(ok.out()).findValuesAsText("backupId")).contains(full);
        // recorded on this machine: the catalog, the Backups page and health see the verification
        BackupRecord verified = new BackupCatalog(repository(stanza.location())).get(full);
        assertThat(verified.status()).isEqualTo(io.pitrconsole.archive.BackupStatus.VERIFIED);
        assertThat(verified.lastVerified()).isNotNull();
        assertThat(verified.verifyDetail()).contains("pgbackrest verify");

        Path damaged;
        try (var files = Files.walk(stanza.repo().resolve("backup").resolve(stanza.name()).resolve(full).resolve("pg_data").resolve("global"))) {
            damaged = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.writeString(damaged, "not what pgBackRest stored");
        CliRunner.Result bad = CliRunner.run(env(), "backup", "verify", "--all", "--json", "--archive", stanza.location());
        assertThat(bad.exit()).isNotZero();
        JsonNode reports = Json.mapper().readTree(bad.out());
        assertThat(reports.toString()).contains(full).contains("checksum invalid");
        assertThat(new BackupCatalog(repository(stanza.location())).get(full).status()).isEqualTo(io.pitrconsole.archive.BackupStatus.CORRUPT);
    }
}
