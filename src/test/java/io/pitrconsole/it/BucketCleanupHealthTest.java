package io.pitrconsole.it;

import static io.pitrconsole.it.BucketArchiving.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * cleanup, health and serve on a bucket filled by a real PostgreSQL 15 cluster (three real
 * backups, WAL archived around them by the script 'archiving apply' installs), each answered as
 * for the same archive in a directory: the bucket is copied object by object into one, and both
 * are asked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketCleanupHealthTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static BucketArchiving bucket;
    private static final List<String> backups = new ArrayList<>();

    @BeforeAll
    static void threeBackupsWithWalAround() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = BucketArchiving.apply(c, s3);
        c.sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        for (int i = 0; i < 3; i++) {
            backups.add(Json.mapper().readTree(ok(bucket.cli("backup", "create", "--history-wait", "0", "--json")).out()).path("id").asText());
            c.sql("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 20000) g");
            bucket.switchAndWaitArchived();
        }
        // the newest verified backup is kept whatever its age, as in a directory
        ok(bucket.cli("backup", "verify", backups.get(1)));
        // taken seconds apart they all fall on today, where the policy below keeps the newest only: the older
        // two move back by days in their backup.json, as a scheduled archive would have them
        age(backups.get(0), Duration.ofDays(3));
        age(backups.get(1), Duration.ofDays(2));
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/backup_schedule.json"), RequestBody.fromString(
                    "{\"backup\": {\"enabled\": true, \"frequency\": \"daily\", \"time\": \"02:00\"},"
                            + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                            + " \"retention\": {\"daily\": 1, \"weekly\": 0, \"monthly\": 0}, \"max_total_size_gb\": 100, \"alert_after_hours\": 24}"));
        }
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (bucket != null) {
            bucket.close();
        }
    }

    private static void age(String id, Duration by) throws IOException {
        String key = BucketArchiving.PREFIX + "/" + id + "/backup.json";
        try (S3Client client = s3.client()) {
            ObjectNode n = (ObjectNode) Json.mapper().readTree(client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(key)).asByteArray());
            n.put("startTime", Instant.parse(n.get("startTime").asText()).minus(by).toString());
            n.put("stopTime", Instant.parse(n.get("stopTime").asText()).minus(by).toString());
            client.putObject(r -> r.bucket(bucket.bucket()).key(key), RequestBody.fromBytes(Json.mapper().writeValueAsBytes(n)));
        }
    }

    /** The bucket's objects (but .pitr/) as files of a new directory archive. */
    private static Path copyToDirectory(String name) throws IOException {
        Path dir = bucket.home().resolve(name);
        try (S3Client client = s3.client()) {
            for (String key : bucket.objects().keySet()) {
                Path file = dir.resolve(key);
                Files.createDirectories(file.getParent());
                try (InputStream in = client.getObject(r -> r.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/" + key))) {
                    Files.copy(in, file);
                }
            }
        }
        return dir;
    }

    /** Backup folders' files and WAL, by name relative to the archive. */
    private static List<String> backupsAndWal(Stream<String> names) {
        return names.filter(n -> n.startsWith("backup_2") || n.startsWith("wal_archive/")).sorted().toList();
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return backupsAndWal(all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()));
        }
    }

    @Test
    @Order(1)
    void cleanupRemovesFromTheBucketExactlyWhatItRemovesFromTheSameArchiveInADirectory() throws Exception {
        Path directory = copyToDirectory("copy");
        List<String> before = backupsAndWal(bucket.objects().keySet().stream());
        assertThat(files(directory)).isEqualTo(before);

        JsonNode dry = Json.mapper().readTree(ok(bucket.cli("cleanup", "--dry-run", "--json")).out());
        assertThat(dry.path("backups").findValuesAsText("name")).containsExactly(backups.get(0));
        assertThat(dry.path("wal")).isNotEmpty();
        assertThat(backupsAndWal(bucket.objects().keySet().stream())).as("a dry run removes nothing").isEqualTo(before);

        CliRunner.Result run = ok(bucket.cli("cleanup", "--yes"));
        ok(CliRunner.run(Map.of(), "cleanup", "--yes", "--archive", directory.toString()));

        assertThat(run.out()).contains("removed backup " + backups.get(0)).contains("removed 1 backups and " + dry.path("wal").size() + " WAL files");
        List<String> left = backupsAndWal(bucket.objects().keySet().stream());
        assertThat(left).as("what stays in the bucket is what stays in the directory").isEqualTo(files(directory))
                .noneMatch(n -> n.startsWith(backups.get(0) + "/"))
                .anyMatch(n -> n.startsWith(backups.get(1) + "/")).anyMatch(n -> n.startsWith(backups.get(2) + "/"));
        for (JsonNode w : dry.path("wal")) {
            assertThat(left).doesNotContain("wal_archive/" + w.path("name").asText());
        }
        assertThat(before.size() - left.size()).as("objects removed").isGreaterThan(dry.path("wal").size());
        String metadata = new String(bucket.objects().containsKey("backup_metadata.json") ? s3Read("backup_metadata.json") : new byte[0],
                StandardCharsets.UTF_8);
        assertThat(metadata).doesNotContain(backups.get(0)).contains(backups.get(1));
        // what stays is still a restorable chain: the kept backups verify against the bucket
        ok(bucket.cli("backup", "verify", backups.get(1)));
        ok(bucket.cli("backup", "verify", backups.get(2)));
    }

    private static byte[] s3Read(String name) {
        try (S3Client client = s3.client()) {
            return client.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(BucketArchiving.PREFIX + "/" + name)).asByteArray();
        }
    }

    private static Map<String, String> levels(JsonNode health) {
        Map<String, String> out = new HashMap<>();
        health.path("checks").forEach(c -> out.put(c.path("check").asText(), c.path("level").asText()));
        return out;
    }

    @Test
    @Order(2)
    void healthOnTheBucketAnswersAsOnTheSameArchiveInADirectory() throws Exception {
        bucket.switchAndWaitArchived();
        CliRunner.Result r = bucket.cli("health", "--json");
        JsonNode h = Json.mapper().readTree(r.out());
        assertThat(r.exit()).as(r.out() + r.err()).isLessThan(2);
        assertThat(h.path("archive").asText()).isEqualTo(bucket.location());
        Map<String, String> levels = levels(h);
        assertThat(levels).containsEntry("newest backup", "ok").containsEntry("WAL gaps", "ok").containsEntry("archiver", "ok")
                .containsEntry("newest WAL", "ok").containsEntry("recovery window", "ok");
        assertThat(h.at("/metrics/newestBackupId").asText()).isEqualTo(backups.get(2));
        assertThat(h.at("/metrics/walGaps").asLong()).isZero();

        Path directory = copyToDirectory("copy-for-health");
        JsonNode d = Json.mapper().readTree(CliRunner.run(Map.of(), "health", "--json", "--archive", directory.toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres").out());
        Map<String, String> fromDirectory = levels(d);
        assertThat(levels).as("each check's level on the bucket and on the directory").isEqualTo(fromDirectory);
        for (String metric : List.of("newestBackupId", "walGaps", "recoveryWindowEnd", "lastArchivedTransaction", "walSegments", "backupsByStatus")) {
            assertThat(h.path("metrics").path(metric)).as(metric).isEqualTo(d.path("metrics").path(metric));
        }
    }

    @Test
    @Order(3)
    void serveAnswersTheBucketsHealthOverHttp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Thread serving = new Thread(() -> bucket.cli("serve", "--http-port", String.valueOf(port)), "serve-on-bucket");
        serving.setDaemon(true);
        serving.start();
        try {
            String body = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (body == null) {
                assertThat(System.nanoTime()).as("serve answers within 60 s").isLessThan(deadline);
                assertThat(serving.isAlive()).as("serve is running").isTrue();
                body = get(port, "/api/backup-status");
                if (body == null) {
                    Thread.sleep(100);
                }
            }
            JsonNode j = Json.mapper().readTree(body);
            assertThat(j.path("archive").asText()).isEqualTo(bucket.location());
            assertThat(j.path("status").asText()).isIn("ok", "warning");
            assertThat(j.at("/metrics/newestBackupId").asText()).isEqualTo(backups.get(2));
            assertThat(get(port, "/metrics")).contains("pitr_wal_missing_segments 0").contains("pitr_server_up 1");
        } finally {
            serving.interrupt();
            serving.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(serving.isAlive()).isFalse();
    }

    /** The body of a 200 answer, or null while nothing listens. */
    private static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(60_000);
        try {
            assertThat(c.getResponseCode()).isEqualTo(200);
        } catch (java.net.ConnectException notYet) {
            return null;
        }
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(4)
    void healthWhileTheServiceIsDownSaysSoWithAHint() throws Exception {
        s3.stop();
        try {
            CliRunner.Result r = bucket.cli("health");
            assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
            assertThat(r.noStackTrace()).as(r.err()).isTrue();
            assertThat(r.out() + r.err()).contains("cannot reach the S3 service " + s3.endpoint()).contains("hint: ");
        } finally {
            s3.start();
        }
    }
}
