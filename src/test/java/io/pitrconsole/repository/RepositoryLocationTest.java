package io.pitrconsole.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepositoryLocationTest {

    @Test
    void anS3UriIsABucketWithAPrefixAndTheServiceOptions() {
        RepositoryLocation l = RepositoryLocation.parse("s3://pitr-backups/clusters//main/", new S3Options("http://127.0.0.1:9000", "eu-west-1", true));
        assertThat(l.isBucket()).isTrue();
        assertThat(l.directory()).isNull();
        assertThat(l.bucket()).isEqualTo(new BucketLocation("pitr-backups", "clusters/main", Optional.of(URI.create("http://127.0.0.1:9000")),
                Optional.of("eu-west-1"), true));
        assertThat(l.bucket().key("wal_archive/x")).isEqualTo("clusters/main/wal_archive/x");
        assertThat(l.toString()).isEqualTo("s3://pitr-backups/clusters/main");

        BucketLocation root = RepositoryLocation.parse("s3://pitr-backups").bucket();
        assertThat(root.prefix()).isEmpty();
        assertThat(root.key("backup_metadata.json")).isEqualTo("backup_metadata.json");
        assertThat(root.endpoint()).isEmpty();
    }

    @Test
    void aDirectoryStaysADirectory() {
        RepositoryLocation l = RepositoryLocation.parse("/var/backups/pitr", new S3Options("http://127.0.0.1:9000", null, true));
        assertThat(l.isBucket()).isFalse();
        assertThat(l.directory()).isEqualTo(Path.of("/var/backups/pitr"));
    }

    @Test
    void badBucketsEndpointsAndOtherKindsAreRefusedWithAHint() {
        assertThatThrownBy(() -> RepositoryLocation.parse("s3://Bad_Bucket/x")).isInstanceOf(PitrException.class)
                .hasMessageContaining("'Bad_Bucket' is not a valid bucket name");
        assertThatThrownBy(() -> RepositoryLocation.parse("s3:///x")).isInstanceOf(PitrException.class)
                .hasMessageContaining("is not a valid bucket name");
        assertThatThrownBy(() -> RepositoryLocation.parse("s3://bucket/a/../b")).isInstanceOf(PitrException.class)
                .hasMessageContaining("has a prefix S3 tools cannot agree on");
        assertThatThrownBy(() -> RepositoryLocation.parse("s3://bucket/a", new S3Options("ftp://host", null, false)))
                .isInstanceOf(PitrException.class).hasMessageContaining("is not an http:// or https:// URL");
        assertThatThrownBy(() -> RepositoryLocation.parse("pgbackrest://main")).isInstanceOf(PitrException.class)
                .hasMessageContaining("'pgbackrest://main' names a pgbackrest:// repository, which this version cannot read");
    }

    @Test
    void flagsWinOverTheProfile() {
        S3Options profile = new S3Options("http://profile:9000", "eu-west-1", true);
        assertThat(new S3Options(null, " ", false).over(profile)).isEqualTo(profile);
        assertThat(new S3Options("http://flag:9000", null, false).over(profile)).isEqualTo(new S3Options("http://flag:9000", "eu-west-1", true));
    }
}
