package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.CliRunner;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.repository.s3.NetworkLink;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups taken into a bucket of a real S3 API server (s3proxy) from a real PostgreSQL 15
 * cluster: stored as the directory kind stores them, listed and verified the same; an upload cut
 * off by a network failure leaves nothing listed as complete and, after the next backup's
 * clean-up, no unfinished multipart upload; and the tars streamed back out of the bucket unpack
 * to the same files as the same backup read from a directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketBackupTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("autovacuum", "off"));

    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    static Path tmp;

    private static String bucket;
    private static String location;
    private static Map<String, String> env;
    private static String bucketBackup;

    @BeforeAll
    static void aDatabaseLargerThanOnePart() {
        // ~150 MB, so the base tar goes up in several parts and an upload lasts long enough to be cut off
        pg.cluster().sql("CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 12) AS pad FROM generate_series(1, 350000) g");
        bucket = s3.newBucket();
        location = "s3://" + bucket + "/clusters/main";
        env = new HashMap<>(s3.credentials());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    }

    private static String[] onBucket(String... verb) {
        return through(s3.endpoint(), verb);
    }

    private static String[] through(URI endpoint, String... verb) {
        return Stream.concat(Stream.of(verb), Stream.of("--archive", location, "--s3-endpoint", endpoint.toString(), "--s3-path-style"))
                .toArray(String[]::new);
    }

    private static final String[] BACKUP_CREATE = {"backup", "create", "--compress", "none", "--history-wait", "0",
        "-h", "127.0.0.1", "-p", "PORT", "-U", "postgres", "--json"};

    private static String[] backupCreate(String archive) {
        List<String> args = Stream.of(BACKUP_CREATE).map(a -> a.equals("PORT") ? String.valueOf(pg.cluster().port()) : a).toList();
        return archive == null ? onBucket(args.toArray(String[]::new))
                : Stream.concat(args.stream(), Stream.of("--archive", archive)).toArray(String[]::new);
    }

    private static String[] backupCreateThrough(URI endpoint) {
        return through(endpoint, Stream.of(BACKUP_CREATE).map(a -> a.equals("PORT") ? String.valueOf(pg.cluster().port()) : a)
                .toArray(String[]::new));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private static JsonNode json(CliRunner.Result r) throws IOException {
        return Json.mapper().readTree(r.out());
    }

    private static JsonNode listed(String id) throws IOException {
        for (JsonNode b : json(ok(CliRunner.run(env, onBucket("backup", "list", "--json")))).path("backups")) {
            if (b.path("id").asText().equals(id)) {
                return b;
            }
        }
        return null;
    }

    private static List<S3Object> objects(S3Client client, String folder) {
        return client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("clusters/main/" + folder)).contents().stream().toList();
    }

    @Test
    @Order(1)
    void aBackupIntoTheBucketIsListedVerifiedAndStoredAsInADirectory() throws Exception {
        bucketBackup = json(ok(CliRunner.run(env, backupCreate(null)))).path("id").asText();
        String directoryBackup = json(ok(CliRunner.run(env, backupCreate(pg.cluster().archiveDir().toString())))).path("id").asText();

        JsonNode listed = listed(bucketBackup);
        assertThat(listed).as("listed").isNotNull();
        assertThat(listed.path("status").asText()).isEqualTo("complete");
        JsonNode verify = json(ok(CliRunner.run(env, onBucket("backup", "verify", bucketBackup, "--json"))));
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
        ok(CliRunner.run(env, "backup", "verify", directoryBackup, "--archive", pg.cluster().archiveDir().toString()));

        List<String> inDirectory;
        try (Stream<Path> files = Files.list(pg.cluster().archiveDir().resolve(directoryBackup))) {
            inDirectory = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        try (S3Client client = s3.client()) {
            List<S3Object> stored = objects(client, bucketBackup + "/");
            String folder = "clusters/main/" + bucketBackup + "/";
            assertThat(stored.stream().map(o -> o.key().substring(folder.length())).sorted().toList())
                    .as("the same files as the directory kind, no .incoming marker left").isEqualTo(inDirectory);
            assertThat(stored.stream().filter(o -> o.key().endsWith("/base.tar")).findFirst().orElseThrow().size())
                    .as("base.tar went up in more than one part").isGreaterThan(16L * 1024 * 1024);
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        }
        try (Stream<Path> staged = Files.walk(tmp.resolve("cache"))) {
            assertThat(staged.filter(Files::isRegularFile).filter(f -> f.toString().contains("staging")).toList())
                    .as("nothing left in the local staging directory").isEmpty();
        }
    }

    @Test
    @Order(2)
    void theNetworkCutMidUploadLeavesNothingCompleteAndNoUnfinishedUpload() throws Exception {
        List<String> before = json(ok(CliRunner.run(env, onBucket("backup", "list", "--json")))).findValuesAsText("id");
        boolean seen;
        CliRunner.Result failed;
        try (NetworkLink link = new NetworkLink(s3.endpoint())) {
            CompletableFuture<CliRunner.Result> create = CompletableFuture.supplyAsync(() -> CliRunner.run(env, backupCreateThrough(link.endpoint())));
            seen = uploadUnderWay(create);
            link.cut();
            failed = create.get(180, TimeUnit.SECONDS);
        }
        assertThat(seen).as("an upload was under way when the link was cut: " + failed.err()).isTrue();
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.noStackTrace()).as(failed.err()).isTrue();
        List<String> errorLines = failed.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errorLines).as(failed.err()).hasSize(1);
        // the error is the upload's, not that of the clean-up that could not reach the service either
        assertThat(errorLines.get(0)).contains("cannot write s3://" + bucket + "/clusters/main/backup_").contains("/base.tar");
        assertThat(failed.err()).contains("hint: ");
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                    .as("the upload cut off, left while the service could not be reached").isNotEmpty();
        }

        List<String> after = json(ok(CliRunner.run(env, onBucket("backup", "list", "--json")))).findValuesAsText("id");
        String cut = after.stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
        assertThat(listed(cut).path("status").asText()).as("the cut-off backup").isNotIn("complete", "verified");

        try (S3Client client = s3.client()) {
            // The command ran inside this JVM, which lives on, so its lock object is not stale as that of an
            // ended process would be; it is removed as its hint says to.
            objects(client, ".pitr/locks/").forEach(o -> client.deleteObject(r -> r.bucket(bucket).key(o.key())));
        }
        // the next backup's clean-up ends what the cut-off one left
        String next = json(ok(CliRunner.run(env, backupCreate(null)))).path("id").asText();
        assertThat(listed(next).path("status").asText()).isEqualTo("complete");
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished multipart uploads").isEmpty();
            assertThat(listed(cut).path("status").asText()).isEqualTo("failed");
            assertThat(objects(client, cut + "/")).extracting(S3Object::key).containsExactly("clusters/main/" + cut + "/backup.json");
        }
    }

    @Test
    @Order(3)
    void tarsStreamedFromTheBucketUnpackAsFromADirectory() throws Exception {
        Path copy = tmp.resolve("copy");
        String folder = "clusters/main/" + bucketBackup + "/";
        try (S3Client client = s3.client()) {
            Files.createDirectories(copy.resolve(bucketBackup));
            for (S3Object o : objects(client, bucketBackup + "/")) {
                try (InputStream in = client.getObject(r -> r.bucket(bucket).key(o.key()))) {
                    Files.copy(in, copy.resolve(bucketBackup).resolve(o.key().substring(folder.length())));
                }
            }
        }
        LocalDirectoryRepository directory = LocalDirectoryRepository.at(copy);
        BackupRecord fromDirectory = new BackupCatalog(directory).get(bucketBackup);
        new BackupExtractor(directory.backups(), fromDirectory).extract(tmp.resolve("from-directory"), Map.of(), ProgressListener.NONE,
                Cancellation.none());

        try (S3Repository repository = new S3Repository(RepositoryLocation.parse(location,
                new S3Options(s3.endpoint().toString(), null, true)),
                env, tmp.resolve("cache"))) {
            assertThat(repository.backups().localFile(bucketBackup, "base.tar")).as("the bucket has no local files").isEmpty();
            BackupRecord fromBucket = new BackupCatalog(repository).get(bucketBackup);
            new BackupExtractor(repository.backups(), fromBucket).extract(tmp.resolve("from-bucket"), Map.of(), ProgressListener.NONE,
                    Cancellation.none());
        }
        Map<String, String> expected = tree(tmp.resolve("from-directory"));
        assertThat(expected).containsKey("PG_VERSION").containsKey("backup_label");
        assertThat(expected.keySet()).anyMatch(n -> n.startsWith("pg_wal/0000"));
        assertThat(tree(tmp.resolve("from-bucket"))).isEqualTo(expected);
    }

    /** Ctrl-C (a cancel) during the upload: the backup is failed at once and its unfinished upload aborted, no later command needed. */
    @Test
    @Order(4)
    void aCancelDuringTheUploadFailsTheBackupAndAbortsItsUpload() throws Exception {
        Cancellation cancel = new Cancellation();
        try (S3Repository repository = new S3Repository(RepositoryLocation.parse(location, new S3Options(s3.endpoint().toString(), null, true)),
                env, tmp.resolve("cache"))) {
            BackupService service = new BackupService(repository, pg.cluster().pgContext());
            CompletableFuture<Object> create = CompletableFuture.supplyAsync(() -> service.create(
                    BackupRequest.defaults(pg.cluster().connection()).withCompression(Compression.NONE).withHistoryWait(Duration.ZERO),
                    ProgressListener.NONE, cancel));
            boolean seen = uploadUnderWay(create);
            cancel.cancel();
            assertThat(seen).as("an upload was under way when cancelled").isTrue();
            assertThatThrownBy(() -> create.get(180, TimeUnit.SECONDS)).hasCauseInstanceOf(Cancellation.CancelledException.class);
            String id = new BackupCatalog(repository).records().stream().filter(r -> r.status() == BackupStatus.FAILED)
                    .filter(r -> "interrupted by the user".equals(r.error())).map(BackupRecord::id).findFirst().orElseThrow();
            try (S3Client client = s3.client()) {
                assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished multipart uploads").isEmpty();
                assertThat(objects(client, id + "/")).extracting(S3Object::key).containsExactly("clusters/main/" + id + "/backup.json");
            }
        }
    }

    /** Every path under root with its size and SHA-256 (directories and links by kind). */
    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(name, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name, "dir");
                } else {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    out.put(name, Files.size(p) + " " + HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                }
            }
        }
        return out;
    }

    /**
     * Waits until a multipart upload is under way in the bucket and the backup it belongs to is listed
     * in backup_metadata.json, the last document the create writes while pg_basebackup runs (true),
     * or the command ended first (false). The upload starts while pg_basebackup writes, so before
     * that bookkeeping may be done.
     */
    private boolean uploadUnderWay(CompletableFuture<?> create) throws InterruptedException {
        try (S3Client client = s3.client()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!create.isDone() && System.nanoTime() < deadline) {
                var uploads = client.listMultipartUploads(r -> r.bucket(bucket)).uploads();
                if (!uploads.isEmpty()) {
                    String id = uploads.get(0).key().split("/")[2];
                    try (InputStream in = client.getObject(r -> r.bucket(bucket).key("clusters/main/backup_metadata.json"))) {
                        if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains(id)) {
                            return true;
                        }
                    } catch (IOException | software.amazon.awssdk.services.s3.model.NoSuchKeyException notYet) {
                        // not written yet
                    }
                }
                Thread.sleep(10);
            }
        }
        return false;
    }
}
