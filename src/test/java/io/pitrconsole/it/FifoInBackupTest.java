package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fifo where a backup file should be: verify and restore say so at once instead of waiting for a writer forever. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FifoInBackupTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static Path backupDir;

    @BeforeAll
    static void oneBackup() throws Exception {
        var b = CliRunner.run(Map.of(), args("backup", "create"));
        assertThat(b.exit()).as(b.err()).isZero();
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        try (Stream<Path> s = Files.list(pg.cluster().archiveDir())) {
            // a backup's directory, not backup_metadata.json beside it: the listing's order is the file system's
            backupDir = s.filter(p -> p.getFileName().toString().startsWith("backup_") && Files.isDirectory(p)).findFirst().orElseThrow();
        }
    }

    private static String[] args(String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assertThat(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
    }

    private static Path baseTar() throws Exception {
        try (Stream<Path> s = Files.list(backupDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("base.tar")).findFirst().orElseThrow();
        }
    }

    @Test
    void verifyNamesTheFifoInsteadOfBlocking() throws Exception {
        Path base = baseTar();
        Path saved = Files.move(base, backupDir.resolveSibling("base.saved"), StandardCopyOption.REPLACE_EXISTING);
        mkfifo(base);
        try {
            var r = CliRunner.run(Map.of(), args("backup", "verify", backupDir.getFileName().toString(), "--json"));

            assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
            assertThat(r.out() + r.err()).contains("is a fifo, socket or device, not a regular file");
        } finally {
            Files.delete(base);
            Files.move(saved, base);
        }
    }

    @Test
    void restoreRefusesAFifoManifestAndAFifoTarInsteadOfBlocking() throws Exception {
        Path manifest = backupDir.resolve("backup_manifest");
        Path saved = Files.move(manifest, backupDir.resolveSibling("manifest.saved"), StandardCopyOption.REPLACE_EXISTING);
        mkfifo(manifest);
        try {
            var r = CliRunner.run(Map.of(), args("restore", "run", "--latest", "--rehearsal", "--json"));
            assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
            JsonNode report = Json.mapper().readTree(r.out());
            assertThat(report.get("error").asText()).contains("backup_manifest");
        } finally {
            Files.delete(manifest);
            Files.move(saved, manifest);
        }
        Path base = baseTar();
        Path savedTar = Files.move(base, backupDir.resolveSibling("base.saved"), StandardCopyOption.REPLACE_EXISTING);
        mkfifo(base);
        try {
            var r = CliRunner.run(Map.of(), args("restore", "run", "--latest", "--rehearsal", "--json"));
            assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
            assertThat(r.out() + r.err()).contains("is a fifo, socket or device, not a regular file");
        } finally {
            Files.delete(base);
            Files.move(savedTar, base);
        }
    }
}
