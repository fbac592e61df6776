package io.pitrconsole.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backup stored sealed (BackupStore.createSealed, what an encrypted repository asks of a bucket):
 * each file goes up through the sealing, part by part as it is written, and a sealing that fails
 * leaves no object and no unfinished multipart upload. The sealing here is gzip, or one that fails
 * partway, so the bucket's side is tested apart from age's.
 */
class S3SealedBackupTest {
    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path cacheHome;

    private String bucket;
    private S3Repository repo;
    private S3Client client;

    @BeforeEach
    void bucket() {
        bucket = s3.newBucket();
        client = s3.client();
        repo = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/main", new S3Options(s3.endpoint().toString(), null, true)),
                s3.credentials(), cacheHome);
    }

    @AfterEach
    void close() {
        repo.close();
        client.close();
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void eachFileIsStoredAsTheSealingTurnsItFromAPrivateStagingDirectory() throws Exception {
        String id = "backup_20261206_110000";
        BackupStore.NewBackup backup = repo.backups().createSealed(id, GZIPOutputStream::new).orElseThrow();
        assertThat(Files.getPosixFilePermissions(backup.incoming())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        // several parts: base.tar is followed and sealed as it grows, the manifest at commit
        byte[] tar = random(40 * MIB);
        Files.write(backup.incoming().resolve("base.tar"), tar);
        Files.writeString(backup.incoming().resolve("backup_manifest"), "{\"PostgreSQL-Backup-Manifest-Version\": 1}");
        assertThat(backup.commit(Cancellation.none())).containsExactly("backup_manifest", "base.tar");

        try (InputStream in = new GZIPInputStream(repo.backups().open(id, "base.tar"))) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        try (InputStream in = new GZIPInputStream(repo.backups().open(id, "backup_manifest"))) {
            assertThat(new String(in.readAllBytes())).contains("Manifest-Version");
        }
        assertThat(repo.backups().hasIncoming(id)).isFalse();
        assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        assertThat(backup.incoming()).doesNotExist();
    }

    @Test
    void aSealingThatFailsPartwayLeavesNoObjectAndNoUnfinishedUpload() throws Exception {
        String id = "backup_20261206_110100";
        // fails once 40 MiB went through: two parts were already handed to the upload by then
        BackupStore.Sealing failing = stored -> new FilterOutputStream(stored) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 40L * MIB) {
                    throw new IOException("the sealing failed");
                }
                out.write(b, off, len);
            }
        };
        BackupStore.NewBackup backup = repo.backups().createSealed(id, failing).orElseThrow();
        Files.write(backup.incoming().resolve("base.tar"), random(64 * MIB));

        assertThatThrownBy(() -> backup.commit(Cancellation.none())).hasMessageContaining("the sealing failed");
        assertThat(backup.abandon()).isPresent();

        assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished multipart uploads").isEmpty();
        assertThat(repo.backups().files(id)).as("stored files").isEmpty();
        assertThat(repo.backups().hasIncoming(id)).as("not complete").isTrue();
        repo.backups().discardFiles(id);
        assertThat(backup.incoming()).doesNotExist();
    }
}
