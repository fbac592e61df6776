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
}
