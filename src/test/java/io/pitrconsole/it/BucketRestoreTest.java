package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A whole restore from a bucket, as a DBA types it: a real PostgreSQL 15 cluster archives into a
 * bucket of a real S3 API server (s3proxy) through the archive_command 'archiving apply'
 * installs, a backup goes into the same bucket, rows are committed at known moments; then a
 * rehearsal to a time between two commits has exactly the rows of that time and leaves the
 * bucket as it was, and an in-place restore from the bucket does too, and rolls back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketRestoreTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static Path home;
    private static String bucket;
    private static Map<String, String> env;
    private static OffsetDateTime betweenFirstAndSecond;

    @BeforeAll
    static void historyInTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = s3.newBucket();
        // the server's OS user runs the installed script: every folder above it must be open to it
        home = Files.createTempDirectory(Path.of("/var/tmp"), "bucket-restore-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path credentials = c.baseDir().resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + s3.credentials().get("AWS_ACCESS_KEY_ID")
                + "\naws_secret_access_key = " + s3.credentials().get("AWS_SECRET_ACCESS_KEY") + "\n");
        c.giveToServerUser(credentials);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        env = new HashMap<>(s3.credentials());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());

        ok(cli("archiving", "apply"));
        c.sql("CREATE TABLE t (id int, batch int)");
        ok(cli("backup", "create", "--history-wait", "0"));
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        OffsetDateTime afterFirst = now(c);
        Thread.sleep(1500);
        betweenFirstAndSecond = afterFirst.plusNanos(700_000_000L);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        String last = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!last.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            assertThat(System.nanoTime()).as("segment " + last + " archived into the bucket within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (home != null) {
            io.pitrconsole.core.FileTrees.deleteRecursively(home);
        }
    }

    private static OffsetDateTime now(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    static CliRunner.Result cli(String... verb) {
        List<String> a = new ArrayList<>(List.of(verb));
        a.addAll(List.of("--archive", "s3://" + bucket + "/pitr/main", "--s3-endpoint", s3.endpoint().toString(), "--s3-path-style",
                "-h", "127.0.0.1", "-p", String.valueOf(pg.cluster().port()), "-U", "postgres",
                "--pg-bin", pg.cluster().installation().binDir().toString()));
        return CliRunner.run(env, a.toArray(String[]::new));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        return r;
    }

    /** Every object of the bucket but the lock and cache folder .pitr/, with its ETag. */
    private static Map<String, String> objects() {
        Map<String, String> out = new TreeMap<>();
        try (S3Client client = s3.client()) {
            client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                    .filter(o -> !o.key().startsWith("pitr/main/.pitr/")).forEach(o -> out.put(o.key(), o.eTag()));
        }
        return out;
    }

    @Test
    @Order(1)
    void aRehearsalToATimeBetweenTwoCommitsHasExactlyTheFirstRowsAndLeavesTheBucketAsItWas() throws Exception {
        Map<String, String> before = objects();
        assertThat(before.keySet()).anyMatch(k -> k.matches("pitr/main/wal_archive/[0-9A-F]{24}"))
                .anyMatch(k -> k.matches("pitr/main/backup_[0-9_]+/base\\.tar.*"));

        JsonNode report = Json.mapper().readTree(ok(cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--rehearsal", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(100);
        assertThat(report.path("reachedTarget").asText()).startsWith("LOG: recovery stopping before commit");
        assertThat(Path.of(report.path("sandbox").asText())).doesNotExist();
        assertThat(objects()).as("a rehearsal writes nothing into the bucket").isEqualTo(before);
    }

    @Test
    @Order(2)
    void anInPlaceRestoreFromTheBucketHasTheRowsOfThatTimeAndRollsBack() throws Exception {
        PgTestCluster c = pg.cluster();
        JsonNode report = Json.mapper().readTree(ok(cli("restore", "run", "--to", betweenFirstAndSecond.toString(), "--in-place",
                "--data-dir", c.dataDir().toString(), "--yes", "--json")).out());

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("100");
        assertThat(c.queryOne("SELECT pg_is_in_recovery()")).isEqualTo("f");
        Path aside = Path.of(report.path("movedAside").path(c.dataDir().toString()).asText());
        assertThat(aside.resolve("PG_VERSION")).isRegularFile();
        // the restored server archives its new timeline into the bucket with the same command
        String segment = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!segment.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            assertThat(System.nanoTime()).as("segment " + segment + " archived within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(objects()).containsKey("pitr/main/wal_archive/" + segment);

        ok(cli("restore", "rollback"));

        assertThat(aside).doesNotExist();
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("150");
        try (Stream<Path> left = Files.list(c.dataDir().getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".pitr-wal-ahead"));
        }
    }
}
