package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The repository seam, proved on real parts: a real PostgreSQL 15 cluster's archive (a base
 * backup and archived segments with commits in them) copied object by object into a bucket of a
 * real S3 API server gives the same windows (to the microsecond), WAL status, backup list and
 * verification as the directory it came from.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3SameAnswersTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("track_commit_timestamp", "on", "autovacuum", "off"));

    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    static Path tmp;

    private static String location;
    private static Map<String, String> env;

    @BeforeAll
    static void anArchiveInADirectoryAndTheSameInABucket() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE ledger(id serial PRIMARY KEY, note text)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        for (int batch = 0; batch < 3; batch++) {
            for (int i = 0; i < 5; i++) {
                c.sql("INSERT INTO ledger(note) VALUES ('batch " + batch + "')");
            }
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));
        }
        String bucket = s3.newBucket();
        location = "s3://" + bucket + "/clusters/main";
        Path root = c.archiveDir();
        try (S3Client client = s3.client(); Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(f).toString();
                // .pitr/ is the directory's own cache and locks: a bucket keeps those on this machine
                if (relative.startsWith(".pitr/") || f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                client.putObject(r -> r.bucket(bucket).key("clusters/main/" + relative), RequestBody.fromFile(f));
            }
        }
        env = new HashMap<>(s3.credentials());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    }

    private static CliRunner.Result onDirectory(String... verb) {
        return ok(CliRunner.run(env, concat(verb, "--archive", pg.cluster().archiveDir().toString())));
    }

    private static CliRunner.Result onBucket(String... verb) {
        return ok(CliRunner.run(env, concat(verb, "--archive", location, "--s3-endpoint", s3.endpoint().toString(), "--s3-path-style")));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private static String[] concat(String[] verb, String... more) {
        return Stream.concat(Stream.of(verb), Stream.of(more)).toArray(String[]::new);
    }

    private static JsonNode json(CliRunner.Result r) throws Exception {
        return Json.mapper().readTree(r.out());
    }

    @Test
    @Order(1)
    void windowsAreTheSameToTheMicrosecond() throws Exception {
        JsonNode directory = json(onDirectory("windows", "--json"));
        JsonNode bucket = json(onBucket("windows", "--json"));
        assertThat(directory.path("windows")).as("the archive has one window").hasSize(1);
        // Instants print with their fraction: equal JSON is equal to the microsecond
        assertThat(directory.path("windows").get(0).path("to").asText()).matches(".*\\.\\d+Z");
        assertThat(bucket).isEqualTo(directory);
    }

    @Test
    @Order(2)
    void walStatusIsTheSame() throws Exception {
        ObjectNode directory = (ObjectNode) json(onDirectory("wal", "status", "--json"));
        ObjectNode bucket = (ObjectNode) json(onBucket("wal", "status", "--json"));
        // when it was checked and the RPO (measured from then) move between the two runs
        for (ObjectNode n : List.of(directory, bucket)) {
            n.remove("checkedAt");
            n.remove("rpoSeconds");
        }
        assertThat(directory.path("segments").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(directory.path("newestTransaction").isNull()).isFalse();
        assertThat(bucket).isEqualTo(directory);
    }

    @Test
    @Order(3)
    void backupListIsTheSame() {
        String directory = onDirectory("backup", "list").out();
        String bucket = onBucket("backup", "list").out();
        assertThat(directory).contains("backup_");
        assertThat(bucket.replace(location, "ARCHIVE")).isEqualTo(directory.replace(pg.cluster().archiveDir().toString(), "ARCHIVE"));
    }

    /** Last: verifying writes the time of it into each repository's backup record (in the bucket too). */
    @Test
    @Order(4)
    void verifyFindsTheSameFilesAndBytesIntact() throws Exception {
        JsonNode directory = json(onDirectory("backup", "verify", "--all", "--json"));
        JsonNode bucket = json(onBucket("backup", "verify", "--all", "--json"));
        assertThat(bucket.path("ok").asBoolean()).isTrue();
        assertThat(directory.path("ok").asBoolean()).isTrue();
        assertThat(bucket.path("reports")).hasSize(directory.path("reports").size());
        for (int i = 0; i < directory.path("reports").size(); i++) {
            JsonNode d = directory.path("reports").get(i);
            JsonNode b = bucket.path("reports").get(i);
            for (String field : List.of("backupId", "filesChecked", "bytesChecked", "problems")) {
                assertThat(b.path(field)).as(field).isEqualTo(d.path(field));
            }
            assertThat(d.path("filesChecked").asInt()).isPositive();
        }
    }

    private static String bucketName() {
        return location.substring("s3://".length(), location.indexOf('/', "s3://".length()));
    }

    /** A flipped byte in a stored object fails verify, which names the file; the directory's copy stays intact. */
    @Test
    @Order(6)
    void aFlippedByteInTheBucketFailsVerifyNamingTheFile() throws Exception {
        JsonNode list = json(onBucket("backup", "list", "--json"));
        String id = list.path("backups").get(0).path("id").asText();
        String base;
        try (S3Client client = s3.client()) {
            base = client.listObjectsV2(q -> q.bucket(bucketName()).prefix("clusters/main/" + id + "/base.tar")).contents().get(0).key();
            String key = base;
            byte[] bytes = client.getObjectAsBytes(q -> q.bucket(bucketName()).key(key)).asByteArray();
            bytes[bytes.length / 2] ^= 0x40;
            client.putObject(q -> q.bucket(bucketName()).key(key), RequestBody.fromBytes(bytes));
        }
        CliRunner.Result r = CliRunner.run(env, "backup", "verify", id, "--archive", location, "--s3-endpoint", s3.endpoint().toString(), "--s3-path-style");
        assertThat(r.exit()).isNotZero();
        assertThat(r.noStackTrace()).as(r.err()).isTrue();
        assertThat(r.out()).contains(id + ": CORRUPT").contains(base.substring(base.lastIndexOf('/') + 1));
        assertThat(r.err()).contains("error: verification failed");
        onDirectory("backup", "verify", id);
    }

    /** A segment removed from the bucket after the index was cached shows as a gap: the cache follows the listing. */
    @Test
    @Order(7)
    void aSegmentDeletedFromUnderTheCachedIndexShowsAsAGap() throws Exception {
        JsonNode before = json(onBucket("wal", "status", "--json"));
        assertThat(before.path("gaps")).isEmpty();
        String last = before.path("newestSegment").asText();
        String middle = String.format("%s%08X", last.substring(0, 16), Long.parseLong(last.substring(16), 16) - 1);
        try (S3Client client = s3.client()) {
            client.deleteObject(q -> q.bucket(bucketName()).key("clusters/main/wal_archive/" + middle));
        }
        JsonNode after = json(onBucket("wal", "status", "--json"));
        assertThat(after.path("gaps")).hasSize(1);
        assertThat(after.path("gaps").get(0).path("missing").get(0).asText()).isEqualTo(middle);
        assertThat(Files.exists(tmp.resolve("cache").resolve("pitr-console").resolve("s3"))).as("the index cache is on this machine").isTrue();
    }
}
