package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rehearsals against a real cluster: rows committed at known moments, then restored to points between them. */
class RestoreRehearsalTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static OffsetDateTime betweenFirstAndSecond;
    static String lsnAfterFirst;
    static String xidOfSecond;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, batch int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        OffsetDateTime afterFirst = OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
        lsnAfterFirst = c.queryOne("SELECT pg_current_wal_insert_lsn()");
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        xidOfSecond = c.queryOne("WITH ins AS (INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g RETURNING 1)"
                + " SELECT txid_current() FROM ins LIMIT 1");
        c.sql("SELECT pg_create_restore_point('after_second')");
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private RestoreService service() {
        return new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    private static long rows(RestoreReport r) {
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        return r.rowCounts().get("public.t");
    }

    @Test
    void timeBetweenTwoCommitsHasExactlyTheFirstRowsAndLeavesTheArchiveUntouched() throws IOException {
        Map<String, String> before = checksums(pg.cluster().archiveDir(), ".pitr");
        List<String> steps = new ArrayList<>();
        RestoreReport r = service().run(RestoreRequest.rehearsal(RecoveryTarget.time(betweenFirstAndSecond)), new RestoreListener() {
            @Override
            public void stepFinished(String step, double seconds) {
                steps.add(step);
            }
        }, Cancellation.none());

        assertThat(rows(r)).isEqualTo(100);
        assertThat(r.reachedTarget()).startsWith("LOG: recovery stopping before commit");
        assertThat(r.targetDetail().timeline()).isEqualTo(1);
        assertThat(r.restoredTimeline()).isEqualTo(2);
        assertThat(steps).containsExactly("pre-checks", "create sandbox", "extract backup", "write recovery settings",
                "start server", "recover to target", "check where recovery stopped", "verify", "remove sandbox");
        assertThat(r.steps()).extracting(RestoreReport.Step::name).isEqualTo(steps);
        assertThat(r.rtoSeconds()).isPositive();
        assertThat(r.bytesExtracted()).isPositive();
        assertThat(Path.of(r.sandbox())).doesNotExist();
        assertThat(checksums(pg.cluster().archiveDir(), ".pitr")).isEqualTo(before);
        assertThat(service().history()).extracting(RestoreReport::id).contains(r.id());
        assertThat(pg.cluster().archiveDir().resolve(".pitr/reports/" + r.id() + ".txt")).isRegularFile();
    }

    @Test
    void restorePointLsnXidImmediateAndLatestTargets() {
        assertThat(rows(service().run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second")), RestoreListener.NONE,
                Cancellation.none()))).isEqualTo(150);
        assertThat(rows(service().run(RestoreRequest.rehearsal(RecoveryTarget.lsn(lsnAfterFirst)), RestoreListener.NONE,
                Cancellation.none()))).isEqualTo(100);
        assertThat(rows(service().run(RestoreRequest.rehearsal(RecoveryTarget.xid(xidOfSecond)), RestoreListener.NONE,
                Cancellation.none()))).isEqualTo(150);
        assertThat(rows(service().run(RestoreRequest.rehearsal(RecoveryTarget.xid(xidOfSecond).withInclusive(false)),
                RestoreListener.NONE, Cancellation.none()))).isEqualTo(100);
        assertThat(rows(service().run(RestoreRequest.rehearsal(RecoveryTarget.immediate()), RestoreListener.NONE,
                Cancellation.none()))).isZero();
        assertThat(rows(service().run(RestoreRequest.rehearsal(RecoveryTarget.latest()), RestoreListener.NONE,
                Cancellation.none()))).isEqualTo(175);
    }

    @Test
    void twoRehearsalsInARowBothFollowTimelineOneAndKeptSandboxIsDiscarded() {
        RestoreReport first = service().run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second")).keeping(true),
                RestoreListener.NONE, Cancellation.none());
        assertThat(rows(first)).isEqualTo(150);
        assertThat(first.kept()).isTrue();
        assertThat(Path.of(first.dataDirectory()).resolve("postmaster.pid")).exists();
        RestoreReport second = service().run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second")),
                RestoreListener.NONE, Cancellation.none());
        assertThat(rows(second)).isEqualTo(150);
        assertThat(second.targetDetail().timeline()).isEqualTo(1);
        assertThat(second.restoredTimeline()).isEqualTo(first.restoredTimeline()).isEqualTo(2);

        assertThatThrownBy(() -> service().discard(pg.cluster().dataDir()))
                .isInstanceOf(PitrException.class).hasMessageContaining("not a rehearsal sandbox");
        Path root = service().discard(Path.of(first.dataDirectory()));
        assertThat(root).doesNotExist();
    }

    /** SHA-256 of every file under root, except the named top-level directory. */
    static Map<String, String> checksums(Path root, String except) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (except != null && rel.startsWith(except + "/")) {
                    continue;
                }
                out.put(rel, sha256(p));
            }
        }
        return out;
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
