package io.pitrconsole.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.repository.BucketLocation;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Requests one after another share one connection, whatever the answers before them were:
 * listings and errors (chunked XML that the S3 client reads itself) as well as objects.
 */
class ReusedConnectionsTest {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @Test
    void listingsErrorsAndObjectsOneAfterAnotherGoOverOneConnection() throws Exception {
        String bucket = s3.newBucket();
        try (NetworkLink link = new NetworkLink(s3.endpoint());
             S3Connection connection = new S3Connection(new BucketLocation(bucket, "pitr", Optional.of(link.endpoint()), Optional.empty(), true),
                     s3.credentials())) {
            var client = connection.client();
            for (int i = 0; i < 3; i++) {
                client.putObject(r -> r.bucket(bucket).key("pitr/wal_archive/000000010000000000000001"), RequestBody.fromString("x".repeat(100)));
                assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("pitr/wal_archive/")).contents()).hasSize(1);
                assertThatThrownBy(() -> client.getObject(r -> r.bucket(bucket).key("pitr/missing")).close())
                        .isInstanceOf(NoSuchKeyException.class);
                assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("pitr/nothing/")).contents()).isEmpty();
                try (InputStream in = client.getObject(r -> r.bucket(bucket).key("pitr/wal_archive/000000010000000000000001"))) {
                    assertThat(in.readAllBytes()).hasSize(100);
                }
            }
            assertThat(link.connectionsOpened()).as("connections for 15 requests made one after another").isEqualTo(1);
        }
    }
}
