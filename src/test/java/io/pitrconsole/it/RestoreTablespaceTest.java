package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cluster with a tablespace: its tar is restored in parallel with the base, into a remapped directory. */
class RestoreTablespaceTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static Path tsDir;
    static String oid;

    @BeforeAll
    static void clusterWithTablespace() throws Exception {
        PgTestCluster c = pg.cluster();
        tsDir = c.baseDir().resolve("ts_one");
        Files.createDirectories(tsDir);
        c.giveToServerUser(tsDir);
        c.sql("CREATE TABLESPACE ts_one LOCATION '" + tsDir + "'");
        oid = c.queryOne("SELECT oid FROM pg_tablespace WHERE spcname = 'ts_one'");
        c.sql("CREATE TABLE far (id int) TABLESPACE ts_one");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO far SELECT generate_series(1, 777)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    @Test
    void tablespaceIsRestoredIntoTheMappedDirectoryAndTheProductionOneIsUntouched() throws Exception {
        Map<String, String> before = RestoreRehearsalTest.checksums(tsDir, null);
        Path parent = Files.createTempDirectory("pitr-ts-map-");
        Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mapped = parent.resolve("ts");
        RestoreService service = new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
        RestoreRequest request = RestoreRequest.rehearsal(RecoveryTarget.latest()).keeping(true)
                .withTablespaceMap(Map.of(tsDir.toString(), mapped));
        RestorePlan plan = service.plan(request, ProgressListener.NONE, Cancellation.none());
        assertThat(plan.tablespaces()).containsEntry(oid, mapped);

        RestoreReport r = service.run(plan, RestoreListener.NONE, Cancellation.none());
        try {
            assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
            assertThat(r.rowCounts()).containsEntry("public.far", 777L);
            Path link = Path.of(r.dataDirectory()).resolve("pg_tblspc").resolve(oid);
            assertThat(Files.readSymbolicLink(link)).isEqualTo(mapped);
            assertThat(Files.list(mapped).findAny()).isPresent();
            assertThat(RestoreRehearsalTest.checksums(tsDir, null)).isEqualTo(before);
        } finally {
            service.discard(Path.of(r.sandbox()));
            // the mapped tablespace lives outside the sandbox, so the test removes it itself
            io.pitrconsole.core.FileTrees.deleteRecursively(parent);
        }
    }
}
