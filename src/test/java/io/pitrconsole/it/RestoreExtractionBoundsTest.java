package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real backup whose tar or manifest was changed afterwards: the restore refuses before writing what the manifest does not allow. */
@Timeout(300)
class RestoreExtractionBoundsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static Path backupDir;

    @BeforeAll
    static void oneUncompressedBackup() throws Exception {
        pg.cluster().sql("CREATE TABLE t (id int)");
        pg.cluster().sql("INSERT INTO t SELECT generate_series(1, 10)");
        var b = CliRunner.run(Map.of(), args("backup", "create", "--compress", "none"));
        assertThat(b.exit()).as(b.err()).isZero();
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        try (Stream<Path> s = Files.list(pg.cluster().archiveDir())) {
            // a backup's directory, not backup_metadata.json beside it: the listing's order is the file system's
            backupDir = s.filter(p -> p.getFileName().toString().startsWith("backup_") && Files.isDirectory(p)).findFirst().orElseThrow();
        }
    }

    private static String[] args(String... verb) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(verb));
        a.addAll(java.util.List.of("--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres", "--pg-bin", pg.cluster().installation().binDir().toString()));
        return a.toArray(String[]::new);
    }

    private static JsonNode rehearse() throws Exception {
        var r = CliRunner.run(Map.of(), args("restore", "run", "--latest", "--rehearsal", "--json"));
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        return Json.mapper().readTree(r.out());
    }

    @Test
    void aFileAddedToBaseTarThatTheManifestDoesNotListStopsTheRestore() throws Exception {
        Path base = backupDir.resolve("base.tar");
        Path saved = Files.copy(base, backupDir.resolveSibling("base.tar.saved"), StandardCopyOption.REPLACE_EXISTING);
        try {
            Path changed = backupDir.resolve("base.tar.new");
            try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(saved));
                 TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(changed))) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                TarArchiveEntry e;
                while ((e = in.getNextEntry()) != null) {
                    out.putArchiveEntry(e);
                    in.transferTo(out);
                    out.closeArchiveEntry();
                }
                byte[] evil = "shared_preload_libraries = 'evil'\n".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry extra = new TarArchiveEntry("conf.d/evil.conf");
                extra.setSize(evil.length);
                out.putArchiveEntry(extra);
                out.write(evil);
                out.closeArchiveEntry();
            }
            Files.move(changed, base, StandardCopyOption.REPLACE_EXISTING);

            JsonNode report = rehearse();

            assertThat(report.get("status").asText()).isEqualTo("failed");
            assertThat(report.get("error").asText()).contains("'conf.d/evil.conf' is not listed in the backup's manifest");
        } finally {
            Files.move(saved, base, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aManifestListingMoreThanTheDiskHoldsIsRefusedBeforeExtracting() throws Exception {
        Path manifest = backupDir.resolve("backup_manifest");
        String original = Files.readString(manifest);
        try {
            // one file said to be 1 EiB, with the manifest's own checksum made to match again
            String body = original.substring(0, original.lastIndexOf("\"Manifest-Checksum\""))
                    .replaceFirst("\"Path\": \"PG_VERSION\", \"Size\": 3,", "\"Path\": \"PG_VERSION\", \"Size\": 1152921504606846976,");
            assertThat(body).contains("1152921504606846976");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
            Files.writeString(manifest, body + "\"Manifest-Checksum\": \"" + sha + "\"}\n");

            JsonNode report = rehearse();

            assertThat(report.get("status").asText()).isEqualTo("failed");
            assertThat(report.get("error").asText()).contains("not enough space under").contains("its manifest lists");
            assertThat(report.path("bytesExtracted").asLong()).isZero();
        } finally {
            Files.writeString(manifest, original);
        }
    }
}
