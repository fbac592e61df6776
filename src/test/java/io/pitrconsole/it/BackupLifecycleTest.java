package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupOutcome;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.backup.BackupStats;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupLifecycleTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @BeforeAll
    static void someData() {
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
    }

    private BackupService service() {
        return new BackupService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void createsCompleteBackupWithEachCompressionAndVerifies(Compression compression) throws Exception {
        BackupOutcome outcome = service().create(BackupRequest.defaults(pg.cluster().connection())
                .withCompression(compression).withLabel("test " + compression), ProgressListener.NONE, Cancellation.none());
        BackupRecord r = outcome.backup();

        assertThat(r.status()).isEqualTo(BackupStatus.COMPLETE);
        assertThat(r.compression()).isEqualTo(compression);
        assertThat(r.label()).isEqualTo("test " + compression);
        assertThat(r.stopTimeSource()).startsWith("backup-history-file");
        assertThat(r.startLsn()).isNotNull();
        assertThat(r.stopLsn()).isGreaterThan(r.startLsn());
        assertThat(r.timeline()).isEqualTo(1);
        assertThat(r.pgVersion()).startsWith("15.");
        assertThat(r.systemIdentifier()).isEqualTo(pg.cluster().queryOne("SELECT system_identifier FROM pg_control_system()"));
        assertThat(r.stopTime()).isAfterOrEqualTo(r.startTime());
        assertThat(r.files()).contains("base" + compression.tarSuffix(), "backup_manifest");
        assertThat(r.originalSizeBytes()).isGreaterThan(1_000_000);
        var dir = pg.cluster().archiveDir().resolve(r.id());
        assertThat(dir.resolve(".incoming")).doesNotExist();
        assertThat(dir.resolve("base" + compression.tarSuffix())).isRegularFile();

        // backup.json on disk is what the service returned
        BackupRecord onDisk = Json.mapper().readValue(dir.resolve("backup.json").toFile(), BackupRecord.class);
        assertThat(onDisk).isEqualTo(r);

        // the manifest as the details panel summarises it: intact, and naming the backup's own WAL range
        var manifest = service().manifest(r.id());
        assertThat(manifest.checksumValid()).isTrue();
        assertThat(manifest.files()).containsKey("global/pg_control");
        assertThat(manifest.walRanges()).singleElement().satisfies(w -> {
            assertThat(w.timeline()).isEqualTo(1);
            assertThat(w.start()).isEqualTo(r.startLsn());
            assertThat(w.end()).isEqualTo(r.stopLsn());
        });

        VerifyReport report = service().verify(r.id(), ProgressListener.NONE, Cancellation.none());
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.bytesChecked()).isEqualTo(r.originalSizeBytes());
        assertThat(service().get(r.id()).status()).isEqualTo(BackupStatus.VERIFIED);
        assertThat(service().get(r.id()).lastVerified()).isNotNull();
    }

    @Test
    void listIsNewestFirstAndLegacyMetadataFollows() throws Exception {
        BackupService s = service();
        String first = s.create(BackupRequest.defaults(pg.cluster().connection()), ProgressListener.NONE, Cancellation.none()).backup().id();
        String second = s.create(BackupRequest.defaults(pg.cluster().connection()).withHistoryWait(Duration.ofSeconds(15)),
                ProgressListener.NONE, Cancellation.none()).backup().id();

        var ids = s.list().stream().map(e -> e.id()).toList();
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));

        var legacy = Json.mapper().readTree(pg.cluster().archiveDir().resolve("backup_metadata.json").toFile());
        var entries = legacy.get("backups");
        assertThat(entries.findValuesAsText("id")).contains(first, second);
        var entry = entries.get(ids.indexOf(second));
        assertThat(entry.get("status").asText()).isEqualTo("complete");
        assertThat(entry.get("compressed").asBoolean()).isTrue();
        assertThat(entry.get("size_bytes").asLong()).isPositive();
        assertThat(entry.get("size_human").asText()).isNotBlank();
        assertThat(entry.get("port").asInt()).isEqualTo(pg.cluster().port());

        BackupStats stats = s.stats();
        assertThat(stats.usable()).isGreaterThanOrEqualTo(2);
        assertThat(stats.newest()).isAfterOrEqualTo(stats.oldest());
        assertThat(stats.averageCompressionRatio()).isGreaterThan(1.0);
        assertThat(Files.exists(pg.cluster().archiveDir().resolve(".pitr/lock"))).isFalse();
    }
}
