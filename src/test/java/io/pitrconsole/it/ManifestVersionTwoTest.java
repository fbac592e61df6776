package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backup manifest of PostgreSQL 17 on (version 2, with the cluster's System-Identifier).
 * No pg_basebackup 17 runs here, so a real backup's manifest from pg_basebackup 15 is rewritten
 * into version 2 the way 17 writes it (the System-Identifier line after the version line, the
 * manifest checksum recomputed): it reads and verifies, and names another cluster's identifier.
 */
class ManifestVersionTwoTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static BackupRecord backup;
    static Path manifest;
    static String original;

    @BeforeAll
    static void realBackup() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t AS SELECT g FROM generate_series(1, 1000) g");
        backup = service().create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup();
        manifest = new ArchiveLayout(c.archiveDir()).backupDir(backup.id()).resolve("backup_manifest");
        original = Files.readString(manifest);
        assertThat(original).startsWith("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n");
    }

    private static BackupService service() {
        return new BackupService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    /** The manifest as PostgreSQL 17 writes it, for the given version and system identifier. */
    private static void writeAs(int version, String systemId) throws Exception {
        String body = original.replaceFirst("\\{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n",
                "{ \"PostgreSQL-Backup-Manifest-Version\": " + version + ",\n\"System-Identifier\": " + systemId + ",\n");
        int checksumLine = body.lastIndexOf("\"Manifest-Checksum\"");
        String covered = body.substring(0, checksumLine);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(covered.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(manifest, covered + "\"Manifest-Checksum\": \"" + sha + "\"}\n");
    }

    @Test
    void versionTwoManifestOfTheBackupsClusterReadsAndVerifies() throws Exception {
        writeAs(2, backup.systemIdentifier());
        BackupManifest m = BackupManifest.read(manifest);
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.systemIdentifier()).contains(backup.systemIdentifier());
        assertThat(m.checksumValid()).as(m.checksumProblem()).isTrue();

        VerifyReport report = service().verify(backup.id(), ProgressListener.NONE, Cancellation.none());
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void versionTwoManifestOfAnotherClusterFailsVerification() throws Exception {
        // an identifier above 2^63: unsigned, as the server prints it
        String other = new BigInteger(backup.systemIdentifier()).add(BigInteger.ONE).setBit(63).toString();
        writeAs(2, other);
        VerifyReport report = service().verify(backup.id(), ProgressListener.NONE, Cancellation.none());
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo("system");
            assertThat(p.detail()).contains(other).contains(backup.systemIdentifier());
        });
    }

    @Test
    void manifestOfAnUnknownVersionIsNamedNotDamaged() throws Exception {
        writeAs(3, backup.systemIdentifier());
        assertThatThrownBy(() -> BackupManifest.read(manifest))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("version 3 backup manifest, which this version does not read");
        Files.writeString(manifest, original);
    }
}
