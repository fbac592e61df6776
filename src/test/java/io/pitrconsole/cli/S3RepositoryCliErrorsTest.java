package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.it.CliRunner;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An s3:// archive that cannot be used says what is wrong in one line with a hint, never a stack trace or a secret. */
class S3RepositoryCliErrorsTest {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path tmp;

    private Map<String, String> env(Map<String, String> credentials) {
        Map<String, String> env = new HashMap<>(credentials);
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("HOME", tmp.toString());
        return env;
    }

    private static CliRunner.Result run(Map<String, String> env, String endpoint, String location) {
        return CliRunner.run(env, "backup", "list", "--archive", location, "--s3-endpoint", endpoint, "--s3-path-style");
    }

    private static void assertOneLineWithHint(CliRunner.Result r, String error, String hint, Map<String, String> env) {
        assertThat(r.exit()).as(r.err()).isNotZero();
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(r.err()).hasSize(2);
        assertThat(lines.get(0)).contains(error);
        assertThat(lines.get(1)).startsWith("hint: ").contains(hint);
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (secret != null) {
            assertThat(r.err() + r.out()).doesNotContain(secret);
        }
    }

    @Test
    void aBucketThatIsThereListsNoBackups() {
        String bucket = s3.newBucket();
        CliRunner.Result r = run(env(s3.credentials()), s3.endpoint().toString(), "s3://" + bucket + "/main");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("no backups in s3://" + bucket + "/main");
    }

    @Test
    void anUnreachableEndpoint() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = env(s3.credentials());
        CliRunner.Result r = run(env, "http://127.0.0.1:" + closed, "s3://somebucket/main");
        assertOneLineWithHint(r, "cannot reach the S3 service http://127.0.0.1:" + closed, "check --s3-endpoint", env);
    }

    @Test
    void wrongCredentials() {
        String bucket = s3.newBucket();
        Map<String, String> env = env(Map.of("AWS_ACCESS_KEY_ID", s3.credentials().get("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY", "not-the-secret"));
        CliRunner.Result r = run(env, s3.endpoint().toString(), "s3://" + bucket + "/main");
        assertOneLineWithHint(r, "refused the credentials", "AWS_ACCESS_KEY_ID", env);
    }

    @Test
    void noCredentialsAtAll() {
        Map<String, String> env = env(Map.of());
        CliRunner.Result r = run(env, s3.endpoint().toString(), "s3://" + s3.newBucket() + "/main");
        assertOneLineWithHint(r, "no AWS credentials found", "AWS_PROFILE", env);
    }

    @Test
    void aMissingBucket() {
        Map<String, String> env = env(s3.credentials());
        CliRunner.Result r = run(env, s3.endpoint().toString(), "s3://no-such-bucket-here/main");
        assertOneLineWithHint(r, "there is no bucket 'no-such-bucket-here'", "create the bucket first", env);
    }

    @Test
    void credentialsFromTheProfileFileOfAwsTools() throws Exception {
        String bucket = s3.newBucket();
        Path credentials = tmp.resolve(".aws").resolve("credentials");
        java.nio.file.Files.createDirectories(credentials.getParent());
        java.nio.file.Files.writeString(credentials, "[pitr]\naws_access_key_id = " + s3.credentials().get("AWS_ACCESS_KEY_ID")
                + "\naws_secret_access_key = " + s3.credentials().get("AWS_SECRET_ACCESS_KEY") + "\n");
        CliRunner.Result r = run(env(Map.of("AWS_PROFILE", "pitr")), s3.endpoint().toString(), "s3://" + bucket + "/main");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void anEndpointWithAKeyInItIsRefusedWithoutRepeatingIt() {
        Map<String, String> env = env(s3.credentials());
        CliRunner.Result r = run(env, "http://AKIA:topsecret@127.0.0.1:9000", "s3://somebucket/main");
        assertOneLineWithHint(r, "--s3-endpoint has a user name or key in it", "AWS_ACCESS_KEY_ID", env);
        assertThat(r.err()).doesNotContain("topsecret");
    }

    @Test
    void aProfileNamesTheBucketAndItsServiceAndKeepsNoSecret() throws Exception {
        String bucket = s3.newBucket();
        Map<String, String> env = env(s3.credentials());
        var store = new io.pitrconsole.config.ProfileStore(tmp.resolve("config").resolve("pitr-console").resolve("profiles.json"));
        store.put(new io.pitrconsole.config.Profile("main", null, null, null, null, null, null, "s3://" + bucket + "/main", null,
                s3.endpoint().toString(), null, true), true);
        CliRunner.Result r = CliRunner.run(env, "backup", "list");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("no backups in s3://" + bucket + "/main");
        String saved = java.nio.file.Files.readString(store.file());
        assertThat(saved).contains("\"s3Endpoint\"").contains("\"s3PathStyle\" : true").doesNotContain(env.get("AWS_SECRET_ACCESS_KEY"));

        // a flag wins over the profile: a closed port instead of the profile's service
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRunner.Result flag = CliRunner.run(env, "backup", "list", "--s3-endpoint", "http://127.0.0.1:" + closed);
        assertOneLineWithHint(flag, "cannot reach the S3 service http://127.0.0.1:" + closed, "check --s3-endpoint", env);
    }
}
