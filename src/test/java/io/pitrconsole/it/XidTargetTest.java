package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
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
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transaction id targets are looked up in the archived WAL while planning, against a real cluster. */
class XidTargetTest {
    private static final Pattern NOTE_TIME = Pattern.compile("at (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}[+-]\\d{2}:\\d{2}) \\(LSN ");

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on"));

    static long committed;
    static long aborted;
    static OffsetDateTime committedAt;
    static long next;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, note text)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t VALUES (1, 'before')");
        try (Connection conn = c.connect(); Statement st = conn.createStatement()) {
            conn.setAutoCommit(false);
            committed = longOf(st, "SELECT txid_current()");
            st.execute("INSERT INTO t VALUES (2, 'the transaction')");
            conn.commit();
            aborted = longOf(st, "SELECT txid_current()");
            st.execute("INSERT INTO t VALUES (3, 'rolled back')");
            conn.rollback();
            conn.setAutoCommit(true);
            // the server's own record of the commit time (track_commit_timestamp)
            try (ResultSet rs = st.executeQuery("SELECT to_char(pg_xact_commit_timestamp('" + committed
                    + "'::xid) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")) {
                rs.next();
                committedAt = OffsetDateTime.parse(rs.getString(1));
            }
        }
        c.sql("INSERT INTO t VALUES (4, 'after')");
        next = Long.parseLong(c.queryOne("SELECT txid_current()"));
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static long longOf(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private RestoreService service() {
        return new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    private RestorePlan plan(RecoveryTarget t) {
        return service().plan(RestoreRequest.rehearsal(t), ProgressListener.NONE, Cancellation.none());
    }

    @Test
    void committedXidPlansWithItsCommitTimeAndARehearsalSeesItsRow() {
        RestorePlan p = plan(RecoveryTarget.xid(String.valueOf(committed)));
        String note = p.notes().get(0);
        assertThat(note).startsWith("transaction " + committed + " committed at ").contains("(LSN ", "commit record");
        Matcher m = NOTE_TIME.matcher(note);
        assertThat(m.find()).as(note).isTrue();
        OffsetDateTime shown = OffsetDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx"));
        assertThat(shown.toInstant()).isEqualTo(committedAt.toInstant());
        assertThat(p.checks()).anySatisfy(c -> assertThat(c).contains("transaction " + committed + " ends in the archived WAL at LSN"));
        assertThat(p.warnings()).isEmpty();
        assertThat(p.settings()).containsEntry("recovery_target_xid", String.valueOf(committed));

        var cli = CliRunner.run(Map.of(), "restore", "plan", "--to-xid", String.valueOf(committed), "--archive",
                pg.cluster().archiveDir().toString(), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString());
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("note         transaction " + committed + " committed at ");

        RestoreReport r = service().run(p, RestoreListener.NONE, Cancellation.none());
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.reachedTarget()).contains("recovery stopping after commit of transaction " + committed);
        // rows 1 and 2: the target transaction's row is there, nothing after it
        assertThat(r.rowCounts()).containsEntry("public.t", 2L);
    }

    @Test
    void abortedXidPlansWithAWarning() throws Exception {
        RestorePlan p = plan(RecoveryTarget.xid(String.valueOf(aborted)));
        assertThat(p.notes().get(0)).startsWith("transaction " + aborted + " aborted at ");
        assertThat(p.warnings()).anySatisfy(n -> assertThat(n).contains("ABORTED", "none of its changes are visible"));

        // restore check plans the same target: a warning, not a failure
        var check = CliRunner.run(Map.of(), "restore", "check", "--to-xid", String.valueOf(aborted), "--json", "--archive",
                pg.cluster().archiveDir().toString(), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString());
        assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(1);
        JsonNode target = null;
        for (JsonNode c : Json.mapper().readTree(check.out()).get("checks")) {
            target = c.get("name").asText().equals("restore target") ? c : target;
        }
        assertThat(target).isNotNull();
        assertThat(target.get("level").asText()).isEqualTo("warn");
        assertThat(target.get("detail").asText()).contains("transaction " + aborted + " aborted at ", "ABORTED");
    }

    @Test
    void xidThatNeverExistedIsRefusedWithTheNearestIds() {
        long never = next + 100_000;
        assertThatThrownBy(() -> plan(RecoveryTarget.xid(String.valueOf(never))))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("transaction " + never + " does not end (commit or abort) in the restorable WAL")
                .satisfies(e -> assertThat(((PitrException) e).hint())
                        .contains("transactions in the restorable WAL end from xid ", "nearest ids: xid "));

        var cli = CliRunner.run(Map.of(), "restore", "plan", "--to-xid", String.valueOf(never), "--archive",
                pg.cluster().archiveDir().toString(), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString());
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err()).contains("error: transaction " + never + " does not end", "hint: transactions in the restorable WAL end from");
        assertThat(cli.noStackTrace()).isTrue();
    }

    @Test
    void anEpochInTheIdIsDroppedAsPostgresqlDoes() {
        // txid_current() counts epochs above 32 bits; recovery_target_xid keeps only the low 32
        long withEpoch = (1L << 32) + committed;
        RestorePlan p = plan(RecoveryTarget.xid(String.valueOf(withEpoch)));
        assertThat(p.notes().get(0)).startsWith("transaction " + committed + " committed at ");
        assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("low 32 bits", "epoch 1"));
        // the server takes the 64-bit value as it was given and stops at the same commit
        assertThat(p.settings()).containsEntry("recovery_target_xid", String.valueOf(withEpoch));
        RestoreReport r = service().run(p, RestoreListener.NONE, Cancellation.none());
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.reachedTarget()).contains("recovery stopping after commit of transaction " + committed);
        assertThat(r.rowCounts()).containsEntry("public.t", 2L);
    }
}
