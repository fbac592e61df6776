package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A test cluster archiving into a bucket of s3proxy through the script 'archiving apply'
 * installs, and the command line pointed at that bucket. The server's OS user reads its
 * credentials from a file of its own that the script names; the console's cache (where the script
 * lives) is in a folder open to that user. {@link #close()} removes that folder.
 */
final class BucketArchiving implements AutoCloseable {
    static final String PREFIX = "pitr/main";
    private final PgTestCluster cluster;
    private final S3ProxyExtension s3;
    private final String bucket;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    private BucketArchiving(PgTestCluster cluster, S3ProxyExtension s3) throws IOException {
        this.cluster = cluster;
        this.s3 = s3;
        this.bucket = s3.newBucket();
        this.home = Files.createTempDirectory(Path.of("/var/tmp"), "bucket-archiving-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path credentials = cluster.baseDir().resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + s3.credentials().get("AWS_ACCESS_KEY_ID")
                + "\naws_secret_access_key = " + s3.credentials().get("AWS_SECRET_ACCESS_KEY") + "\n");
        cluster.giveToServerUser(credentials);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        env.putAll(s3.credentials());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    }

    /** A new bucket, and the cluster's archive_command set to store into it ('archiving apply' with those options). */
    static BucketArchiving apply(PgTestCluster cluster, S3ProxyExtension s3, String... options) throws IOException {
        BucketArchiving b = new BucketArchiving(cluster, s3);
        List<String> verb = new ArrayList<>(List.of("archiving", "apply"));
        verb.addAll(List.of(options));
        ok(b.cli(verb.toArray(String[]::new)));
        return b;
    }

    String bucket() {
        return bucket;
    }

    String location() {
        return "s3://" + bucket + "/" + PREFIX;
    }

    Map<String, String> env() {
        return env;
    }

    Path home() {
        return home;
    }

    /** Runs a verb against the bucket and the cluster. */
    CliRunner.Result cli(String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", location(), "--s3-endpoint", s3.endpoint().toString(), "--s3-path-style",
                "-h", "127.0.0.1", "-p", String.valueOf(cluster.port()), "-U", "postgres",
                "--pg-bin", cluster.installation().binDir().toString()));
        return CliRunner.run(env, a.toArray(String[]::new));
    }

    /** The repository in the bucket, as the command line opens it. */
    io.pitrconsole.repository.s3.S3Repository open() {
        return new io.pitrconsole.repository.s3.S3Repository(io.pitrconsole.repository.RepositoryLocation.parse(location(),
                new io.pitrconsole.repository.S3Options(s3.endpoint().toString(), null, true)), env, home.resolve("cache").resolve("pitr-console"));
    }

    static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        return r;
    }

    /** Switches to a new segment after some WAL and waits until the server archived the one it closed. */
    String switchAndWaitArchived() {
        return cluster.switchWalAndWaitArchivedByServer();
    }

    /** Every object under the repository's prefix but its .pitr/ folder (locks), by name relative to the prefix, with its ETag and size. */
    Map<String, String> objects() {
        Map<String, String> out = new TreeMap<>();
        try (S3Client client = s3.client()) {
            client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(PREFIX + "/")).contents().forEach(o -> {
                String name = o.key().substring(PREFIX.length() + 1);
                // s3proxy's filesystem backend lists a folder it keeps as a key ending in "/": not an object of ours
                if (!name.startsWith(".pitr/") && !name.endsWith("/")) {
                    out.put(name, o.eTag() + " " + o.size());
                }
            });
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        io.pitrconsole.core.FileTrees.deleteRecursively(home);
    }
}
