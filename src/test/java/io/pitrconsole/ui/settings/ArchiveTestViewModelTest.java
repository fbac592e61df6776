package io.pitrconsole.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.ui.UiPreferencesStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Settings' "Test archive" against a real S3 API server (s3proxy on 127.0.0.1), without a window:
 * what a bucket holds, or what is wrong in the words of the repository layer, each with a hint,
 * and never the secret.
 */
class ArchiveTestViewModelTest {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path dir;

    private Map<String, String> env(Map<String, String> credentials) {
        Map<String, String> env = new HashMap<>(credentials);
        env.put("HOME", dir.toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        return env;
    }

    /** The form's archive tested as the Settings page tests it, in a console with this environment. */
    private ProfileForm tested(Map<String, String> env, String archive, String endpoint) {
        ConsoleModel model = new ConsoleModel(env, new ProfileStore(dir.resolve("profiles.json")), new UiPreferencesStore(dir.resolve("ui.json")),
                new PracticeLayout(dir.resolve("practice")), ImmediateBackground::new);
        SettingsViewModel vm = new SettingsViewModel(model, model.background());
        ProfileForm form = ProfileForm.create();
        form.name().set("main");
        form.archive().set(archive);
        form.s3Endpoint().set(endpoint);
        form.s3PathStyle().set(true);
        vm.testArchive(form);
        assertThat(form.testingArchiveProperty().get()).isFalse();
        return form;
    }

    private static void assertFailed(ProfileForm form, String what, String hint, Map<String, String> env) {
        assertThat(form.archivePassedProperty().get()).as(form.archiveResultProperty().get()).isFalse();
        assertThat(form.archiveResultProperty().get()).contains(what).contains("\nHint: ").contains(hint);
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (secret != null) {
            assertThat(form.archiveResultProperty().get()).doesNotContain(secret);
        }
    }

    @Test
    void aBucketWithBackupsAndWalSaysHowManyOfEach() {
        String bucket = s3.newBucket();
        try (S3Client c = s3.client()) {
            for (String key : new String[] {"backup_20261201_020000/backup.json", "backup_20261202_020000/backup.json",
                    "wal_archive/000000010000000000000001", "wal_archive/000000010000000000000002", "wal_archive/000000010000000000000003",
                    // another cluster's prefix is not this archive's
                    "../other/wal_archive/000000010000000000000009"}) {
                c.putObject(r -> r.bucket(bucket).key(key.startsWith("../") ? key.substring(3) : "clusters/main/" + key), RequestBody.fromString("x"));
            }
        }
        ProfileForm form = tested(env(s3.credentials()), "s3://" + bucket + "/clusters/main", s3.endpoint().toString());
        assertThat(form.archivePassedProperty().get()).as(form.archiveResultProperty().get()).isTrue();
        assertThat(form.archiveResultProperty().get()).isEqualTo("Reached s3://" + bucket + "/clusters/main at " + s3.endpoint()
                + ": 2 backups, 3 WAL files archived");
    }

    @Test
    void anEmptyBucketIsReachedWithNothingInIt() {
        String bucket = s3.newBucket();
        ProfileForm form = tested(env(s3.credentials()), "s3://" + bucket + "/main", s3.endpoint().toString());
        assertThat(form.archivePassedProperty().get()).as(form.archiveResultProperty().get()).isTrue();
        assertThat(form.archiveResultProperty().get()).endsWith(": 0 backups, 0 WAL files archived");
    }

    @Test
    void aWrongSecretIsCalledRefusedCredentials() {
        String bucket = s3.newBucket();
        Map<String, String> env = env(Map.of("AWS_ACCESS_KEY_ID", s3.credentials().get("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY", "not-the-secret"));
        ProfileForm form = tested(env, "s3://" + bucket + "/main", s3.endpoint().toString());
        assertFailed(form, "refused the credentials", "AWS_ACCESS_KEY_ID", env);
        assertThat(form.archiveResultProperty().get()).doesNotContain(s3.credentials().get("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void anUnknownKeyIsCalledRefusedCredentials() {
        Map<String, String> env = env(Map.of("AWS_ACCESS_KEY_ID", "nobody", "AWS_SECRET_ACCESS_KEY", "nothing"));
        ProfileForm form = tested(env, "s3://" + s3.newBucket() + "/main", s3.endpoint().toString());
        assertFailed(form, "refused the credentials", "AWS_PROFILE", env);
    }

    @Test
    void noCredentialsAtAllSaysWhereTheyAreLookedFor() {
        Map<String, String> env = env(Map.of());
        ProfileForm form = tested(env, "s3://" + s3.newBucket() + "/main", s3.endpoint().toString());
        assertFailed(form, "no AWS credentials found", "~/.aws/credentials", env);
    }

    @Test
    void aMissingBucketIsNamed() {
        Map<String, String> env = env(s3.credentials());
        ProfileForm form = tested(env, "s3://no-such-bucket-here/main", s3.endpoint().toString());
        assertFailed(form, "there is no bucket 'no-such-bucket-here' at " + s3.endpoint(), "create the bucket first", env);
    }

    @Test
    void anEndpointNothingListensOnIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = env(s3.credentials());
        ProfileForm form = tested(env, "s3://somebucket/main", "http://127.0.0.1:" + closed);
        assertFailed(form, "cannot reach the S3 service http://127.0.0.1:" + closed, "that the service runs", env);
    }

    @Test
    void aDirectoryArchiveIsListedToo() throws Exception {
        Path archive = dir.resolve("archive");
        Files.createDirectories(archive.resolve("backup_20261201_020000"));
        Files.writeString(archive.resolve("backup_20261201_020000").resolve("backup.json"), "{}");
        Files.createDirectories(archive.resolve("wal_archive"));
        Files.writeString(archive.resolve("wal_archive").resolve("000000010000000000000001"), "x");
        ProfileForm form = tested(env(Map.of()), archive.toString(), "");
        assertThat(form.archivePassedProperty().get()).as(form.archiveResultProperty().get()).isTrue();
        assertThat(form.archiveResultProperty().get()).isEqualTo("Reached " + archive + ": 1 backup, 1 WAL file archived");

        ProfileForm missing = tested(env(Map.of()), dir.resolve("nowhere").toString(), "");
        assertThat(missing.archivePassedProperty().get()).isFalse();
        assertThat(missing.archiveResultProperty().get()).contains("nowhere").contains("\nHint: ");
    }
}
