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
        assertThatThrownBy(() -> RepositoryLocation.parse("borg://main")).isInstanceOf(PitrException.class)
                .hasMessageContaining("'borg://main' names a borg:// repository, which this version cannot read");
    }

    @Test
    void aPgBackRestUriIsAStanzaWithItsConfigAndRepository() {
        RepositoryLocation plain = RepositoryLocation.parse("pgbackrest://main");
        assertThat(plain.isPgBackRest()).isTrue();
        assertThat(plain.isBucket()).isFalse();
        assertThat(plain.directory()).isNull();
        assertThat(plain.stanza()).isEqualTo(new PgBackRestStanza("main", Optional.empty(), java.util.OptionalInt.empty()));
        assertThat(plain.toString()).isEqualTo("pgbackrest://main");

        RepositoryLocation inProfile = RepositoryLocation.parse("pgbackrest://main?config=/etc/pgbackrest/main.conf&repo=2");
        assertThat(inProfile.stanza().config()).contains(Path.of("/etc/pgbackrest/main.conf"));
        assertThat(inProfile.stanza().repo()).hasValue(2);
        assertThat(inProfile.toString()).isEqualTo("pgbackrest://main?config=/etc/pgbackrest/main.conf&repo=2");

        // flags win over what the location says
        RepositoryLocation flagged = RepositoryLocation.parse("pgbackrest://main?repo=2", S3Options.NONE,
                new PgBackRestOptions("/tmp/other.conf", 3));
        assertThat(flagged.stanza().config()).contains(Path.of("/tmp/other.conf"));
        assertThat(flagged.stanza().repo()).hasValue(3);
    }

    @Test
    void badStanzasAndSettingsAreRefusedWithAHint() {
        assertThatThrownBy(() -> RepositoryLocation.parse("pgbackrest://")).isInstanceOf(PitrException.class)
                .hasMessageContaining("does not name a pgBackRest stanza");
        assertThatThrownBy(() -> RepositoryLocation.parse("pgbackrest://ma in")).isInstanceOf(PitrException.class)
                .hasMessageContaining("'ma in' is not a stanza name");
        assertThatThrownBy(() -> RepositoryLocation.parse("pgbackrest://main?cipher-pass=x")).isInstanceOf(PitrException.class)
                .hasMessageContaining("unknown setting 'cipher-pass'").hasMessageNotContaining("=x");
        assertThatThrownBy(() -> RepositoryLocation.parse("pgbackrest://main?repo=x")).isInstanceOf(PitrException.class)
                .hasMessageContaining("repo=x is not a repository number");
        assertThatThrownBy(() -> RepositoryLocation.parse("pgbackrest://main", S3Options.NONE, new PgBackRestOptions(null, 0)))
                .isInstanceOf(PitrException.class).hasMessageContaining("numbered 1 to 256");
    }

    @Test
    void flagsWinOverTheProfile() {
        S3Options profile = new S3Options("http://profile:9000", "eu-west-1", true);
        assertThat(new S3Options(null, " ", false).over(profile)).isEqualTo(profile);
        assertThat(new S3Options("http://flag:9000", null, false).over(profile)).isEqualTo(new S3Options("http://flag:9000", "eu-west-1", true));
    }
}
