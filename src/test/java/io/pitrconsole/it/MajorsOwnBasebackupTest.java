package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `backup create` of a 17 or 18 server with that major's own pg_basebackup (Debian's build,
 * installed by .ci/install-pg-clients.sh), then `backup verify` of its version-2 manifest, a
 * flipped byte that verify names, and a rehearsal from the backup with that major's server.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MajorsOwnBasebackupTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 18})
    void ownPgBasebackupBacksUpVerifiesAndRestores(int major) throws Exception {
        try (PgTestCluster c = PgTestCluster.startWithClients(major, Map.of())) {
            assertThat(c.pgContext().installation(java.util.Optional.of(major)).tool("pg_basebackup"))
                    .isEqualTo(c.installation().binDir().resolve("pg_basebackup"));
            c.sql("CREATE TABLE t (id int, batch int)");
            c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");

            CliRunner.Result created = CliRunner.run(Map.of(), args(c, "backup", "create", "--json"));
            assertThat(created.exit()).as(created.out() + created.err()).isZero();
            assertThat(created.noStackTrace()).isTrue();
            JsonNode backup = Json.mapper().readTree(created.out());
            String id = backup.path("backup").path("id").asText(backup.path("id").asText());
            assertThat(id).as(created.out()).startsWith("backup_");
            Path dir = c.archiveDir().resolve(id);

            // pg_basebackup 17 and 18 write manifest version 2, which names the cluster
            JsonNode manifest = Json.mapper().readTree(dir.resolve("backup_manifest").toFile());
            assertThat(manifest.get("PostgreSQL-Backup-Manifest-Version").asInt()).isEqualTo(2);
            assertThat(manifest.get("System-Identifier").asText()).isEqualTo(c.queryOne("SELECT system_identifier FROM pg_control_system()"));
            JsonNode record = Json.mapper().readTree(dir.resolve("backup.json").toFile());
            assertThat(record.toString()).contains("\"" + major + ".");

            CliRunner.Result verified = CliRunner.run(Map.of(), args(c, "backup", "verify", id));
            assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();

            c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
            c.sql("SELECT pg_create_restore_point('after_second')");
            c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));

            RestoreCheckCli.passesWithProgramsOf(c, major, "--to-name", "after_second");
            RestoreReport r = new RestoreService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                    .run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second")), RestoreListener.NONE, Cancellation.none());
            assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
            assertThat(r.rowCounts()).containsEntry("public.t", 150L);

            // one flipped byte inside the stored base tar: verify fails and names the file
            Path tar;
            try (Stream<Path> files = Files.list(dir)) {
                tar = files.filter(f -> f.getFileName().toString().startsWith("base.tar")).findFirst().orElseThrow();
            }
            try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x40);
            }
            CliRunner.Result damaged = CliRunner.run(Map.of(), args(c, "backup", "verify", id));
            assertThat(damaged.exit()).as(damaged.out() + damaged.err()).isNotZero();
            assertThat(damaged.noStackTrace()).isTrue();
            assertThat(damaged.out() + damaged.err()).contains(tar.getFileName().toString());
        }
    }

    private static String[] args(PgTestCluster c, String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", c.archiveDir().toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()),
                "-U", PgTestCluster.SUPERUSER, "--pg-bin", c.installation().binDir().toString()));
        return a.toArray(String[]::new);
    }
}
