package io.pitrconsole.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Replacing a stored WAL object or backup file in a bucket (a key change's rewrite), against s3proxy. */
class S3ReplaceTest {
    private static final String BACKUP = "backup_20261201_010203";
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
        repo = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr", new S3Options(s3.endpoint().toString(), null, true)),
                s3.credentials(), cacheHome);
    }

    @AfterEach
    void close() {
        repo.close();
        client.close();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] object(String key) throws IOException {
        try (InputStream in = client.getObject(r -> r.bucket(bucket).key(key))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aWalObjectAndABackupFileOfSeveralPartsAreReplacedWhole() throws Exception {
        repo.wal().put("000000010000000000000001", new ByteArrayInputStream(bytes(1000, 1)));
        repo.wal().replace("000000010000000000000001", new ByteArrayInputStream(bytes(2000, 2)));
        assertThat(object("pitr/wal_archive/000000010000000000000001")).isEqualTo(bytes(2000, 2));

        client.putObject(r -> r.bucket(bucket).key("pitr/" + BACKUP + "/base.tar"), RequestBody.fromBytes(bytes(100, 3)));
        // more than two parts of 16 MiB: a multipart upload that becomes the object only when completed
        byte[] big = bytes(S3Objects.PART_SIZE * 2 + 12345, 4);
        repo.backups().replace(BACKUP, "base.tar", new ByteArrayInputStream(big));
        assertThat(object("pitr/" + BACKUP + "/base.tar")).isEqualTo(big);
        byte[] exact = bytes(S3Objects.PART_SIZE, 5);
        repo.backups().replace(BACKUP, "base.tar", new ByteArrayInputStream(exact));
        assertThat(object("pitr/" + BACKUP + "/base.tar")).isEqualTo(exact);
    }

    @Test
    void aReplacementWhoseContentFailsLeavesTheOldObjectAndNoUpload() throws Exception {
        byte[] old = bytes(5000, 6);
        client.putObject(r -> r.bucket(bucket).key("pitr/" + BACKUP + "/base.tar"), RequestBody.fromBytes(old));
        InputStream failing = new InputStream() {
            private long sent;

            @Override
            public int read() throws IOException {
                throw new IOException("source failed");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent > S3Objects.PART_SIZE + 1000) {
                    throw new IOException("source failed");
                }
                int n = Math.min(len, 1 << 20);
                sent += n;
                return n;
            }
        };
        assertThatThrownBy(() -> repo.backups().replace(BACKUP, "base.tar", failing)).hasMessageContaining("source failed");
        assertThat(object("pitr/" + BACKUP + "/base.tar")).isEqualTo(old);
        assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();

        assertThatThrownBy(() -> repo.wal().replace("000000010000000000000009", new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> repo.backups().replace(BACKUP, "other.tar", new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(NoSuchFileException.class);
    }
}
