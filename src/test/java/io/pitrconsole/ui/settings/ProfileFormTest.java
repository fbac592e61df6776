package io.pitrconsole.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.config.Profile;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileFormTest {
    @Test
    void editingKeepsEveryFieldAndEmptyFieldsBecomeAbsent() {
        Profile p = new Profile("prod", "db1", 5433, "backup", "app", "/var/lib/pg", "postgres", "/backups", "/usr/lib/postgresql/15/bin");
        ProfileForm f = ProfileForm.edit(p);
        assertThat(f.originalName()).isEqualTo("prod");
        assertThat(f.toProfile()).isEqualTo(p);

        f.host().set("  ");
        f.pgBin().set("");
        f.name().set(" staging ");
        assertThat(f.toProfile()).isEqualTo(new Profile("staging", null, 5433, "backup", "app", "/var/lib/pg", "postgres", "/backups", null));
    }

    @Test
    void aMissingNameOrABadPortIsRefusedWithAHint() {
        ProfileForm f = ProfileForm.create();
        assertThatThrownBy(f::toProfile).isInstanceOf(PitrException.class).hasMessageContaining("needs a name");
        f.name().set("x");
        f.port().set("54a2");
        assertThatThrownBy(f::toProfile).isInstanceOf(PitrException.class).hasMessageContaining("not a TCP port")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("1 to 65535"));
        f.port().set("70000");
        assertThatThrownBy(f::toProfile).isInstanceOf(PitrException.class);
        f.port().set("");
        assertThat(f.toProfile().port()).isNull();
    }

    @Test
    void emptyConnectionFieldsFollowTheLibpqEnvironment() {
        ProfileForm f = ProfileForm.create();
        f.name().set("x");
        f.user().set("backup");
        ConnectionSettings c = f.connection(Map.of("PGHOST", "envhost", "PGPORT", "6543", "PGUSER", "envuser"));
        assertThat(c.host()).isEqualTo("envhost");
        assertThat(c.port()).isEqualTo(6543);
        assertThat(c.user()).isEqualTo("backup");
    }

    @Test
    void theTestButtonConnectsWhereTheSavedProfileWill() {
        Profile p = new Profile("prod", "db1", null, null, "app", null, null, null, null);
        Map<String, String> env = Map.of("PGHOST", "envhost", "PGPORT", "6543", "PGUSER", "envuser", "PGDATABASE", "envdb");
        assertThat(ProfileForm.edit(p).connection(env)).isEqualTo(new io.pitrconsole.ui.ClusterSession(p, env).connection())
                .isEqualTo(new ConnectionSettings("db1", 6543, "envuser", "app", java.util.Optional.empty()));
    }

    @Test
    void editingAProfileKeepsItsS3ServiceSettings() {
        Profile p = new Profile("main", "db1", 5432, "postgres", "postgres", null, null, "s3://pitr/main", null,
                "https://minio.example.com:9000", "eu-west-1", true);
        ProfileForm form = ProfileForm.edit(p);
        form.host().set("db2");
        Profile saved = form.toProfile();
        assertThat(saved.host()).isEqualTo("db2");
        assertThat(saved.s3Endpoint()).isEqualTo("https://minio.example.com:9000");
        assertThat(saved.s3Region()).isEqualTo("eu-west-1");
        assertThat(saved.s3PathStyle()).isTrue();
    }

    @Test
    void theS3FieldsNameTheServiceOfABucketAndAreDroppedForADirectory() {
        ProfileForm form = ProfileForm.create();
        form.name().set("main");
        form.archive().set(" s3://pitr/clusters/main ");
        assertThat(form.isBucket()).isTrue();
        form.s3Endpoint().set("http://127.0.0.1:9000");
        form.s3Region().set("eu-west-1");
        form.s3PathStyle().set(true);
        Profile p = form.toProfile();
        assertThat(p.archive()).isEqualTo("s3://pitr/clusters/main");
        assertThat(p.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(p.s3Region()).isEqualTo("eu-west-1");
        assertThat(p.s3PathStyle()).isTrue();

        form.archive().set("/backups/pitr");
        assertThat(form.isBucket()).isFalse();
        assertThat(form.toProfile()).isEqualTo(new Profile("main", null, null, null, null, null, null, "/backups/pitr", null));
    }

    @Test
    void aBadBucketOrEndpointIsRefusedWhenSavedNotWhenAPageOpensIt() {
        ProfileForm form = ProfileForm.create();
        form.name().set("main");
        form.archive().set("s3://Not_A_Bucket/main");
        assertThatThrownBy(form::toProfile).isInstanceOf(PitrException.class).hasMessageContaining("not a valid bucket name");
        form.archive().set("s3://pitr/main");
        form.s3Endpoint().set("minio.example.com:9000");
        assertThatThrownBy(form::toProfile).isInstanceOf(PitrException.class).hasMessageContaining("is not an http:// or https:// URL");
        form.s3Endpoint().set("http://AKIA:topsecret@minio.example.com:9000");
        assertThatThrownBy(form::toProfile).isInstanceOf(PitrException.class).hasMessageNotContaining("topsecret");
        form.s3Endpoint().set("https://minio.example.com:9000");
        assertThat(form.toProfile().s3Endpoint()).isEqualTo("https://minio.example.com:9000");
    }

    @Test
    void editingAProfileKeepsItsKeyFileAndAnEmptyFieldMeansNone() {
        Profile p = new Profile("main", "db1", 5432, null, null, null, null, "/backups/pitr", null, null, null, null, "/etc/pitr/archive.key");
        ProfileForm form = ProfileForm.edit(p);
        assertThat(form.encryptionKeyFile().get()).isEqualTo("/etc/pitr/archive.key");
        form.host().set("db2");
        assertThat(form.toProfile()).isEqualTo(new Profile("main", "db2", 5432, null, null, null, null, "/backups/pitr", null, null, null, null,
                "/etc/pitr/archive.key"));
        form.encryptionKeyFile().set("  ");
        assertThat(form.toProfile().encryptionKeyFile()).isNull();
    }
}
