package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.recovery.window.WalStatus;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.pg.ServerUserShell;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
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
 * A real PostgreSQL 15 cluster archiving into a bucket of a real S3 API server (s3proxy) through
 * the archive_command 'archiving apply' installs, and its restore_command fetching back. The
 * server's OS user finds its credentials in a file of its own that the script names.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3ArchivingTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static Path home;
    private static String bucket;
    private static S3Repository repo;
    private static ArchivingService service;

    @BeforeAll
    static void archiveIntoTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        bucket = s3.newBucket();
        home = Files.createTempDirectory(Path.of("/var/tmp"), "s3-archiving-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path credentials = c.baseDir().resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + s3.credentials().get("AWS_ACCESS_KEY_ID")
                + "\naws_secret_access_key = " + s3.credentials().get("AWS_SECRET_ACCESS_KEY") + "\n");
        c.giveToServerUser(credentials);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        repo = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/main", new S3Options(s3.endpoint().toString(), null, true)),
                env, home.resolve("cache"));
        service = new ArchivingService(repo, c.pgContext(), c.connection());
        service.apply(service.generate(Compression.NONE, Duration.ofSeconds(300)), false, Optional.empty());
    }

    @AfterAll
    static void close() throws Exception {
        if (repo != null) {
            repo.close();
        }
        if (home != null) {
            io.pitrconsole.core.FileTrees.deleteRecursively(home);
        }
    }

    @Test
    @Order(1)
    void appliedArchiveCommandStoresEachSegmentInTheBucket() throws Exception {
        PgTestCluster c = pg.cluster();
        String script = repo.wal().archiveCommand().script().toString();
        assertThat(c.queryOne("SHOW archive_command")).isEqualTo(repo.wal().archiveCommand().setting()).contains(script);
        assertThat(Files.readString(Path.of(script))).doesNotContain(s3.credentials().get("AWS_SECRET_ACCESS_KEY"));

        c.sql("CREATE TABLE IF NOT EXISTS t(i int); INSERT INTO t VALUES (1)");
        String first = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        java.time.Instant beforeCommit = java.time.Instant.parse(c.queryOne("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        c.sql("INSERT INTO t VALUES (2)");
        java.time.Instant afterCommit = java.time.Instant.parse(c.queryOne("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        String second = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        waitFor(() -> archived().contains(second), "segment " + second + " in the bucket");
        assertThat(archived()).contains(first, second);
        WalFile stored = repo.wal().list().stream().filter(f -> f.name().equals(second)).findFirst().orElseThrow();
        assertThat(stored.size()).isEqualTo(16L * 1024 * 1024);
        try (var in = repo.wal().open(second)) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(c.dataDir().resolve("pg_wal").resolve(second)));
        }
        assertThat(c.queryOne("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");

        // wal status reads the bucket: the newest segment and the last commit are the ones just archived
        WalStatus status = new WindowService(repo).walStatus(ProgressListener.NONE, Cancellation.none());
        assertThat(status.newestSegment()).map(Object::toString).contains(second);
        assertThat(status.gaps()).isEmpty();
        assertThat(status.newestTransaction()).hasValueSatisfying(t -> assertThat(t).isBetween(beforeCommit, afterCommit));

        List<Finding> findings = service.verify(Duration.ofSeconds(30));
        assertThat(findings).filteredOn(f -> f.level() == Finding.Level.FAIL).isEmpty();
        assertThat(findings).anySatisfy(f -> assertThat(f.check()).isEqualTo("archive writable"));
    }

    @Test
    @Order(2)
    void aDifferentObjectOfTheSameNameIsNeverReplacedAndTheServerKeepsTheSegment() throws Exception {
        PgTestCluster c = pg.cluster();
        // WAL first: at a segment's very start pg_walfile_name names the segment before
        c.sql("INSERT INTO t VALUES (3)");
        String next = c.queryOne("SELECT pg_walfile_name(pg_current_wal_lsn())");
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket(bucket).key("pitr/main/wal_archive/" + next), RequestBody.fromString("another server's segment"));
            long failedBefore = Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"));
            assertThat(c.queryOne("SELECT pg_walfile_name(pg_switch_wal())")).isEqualTo(next);
            waitFor(() -> Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver")) > failedBefore, "a failed archive attempt");
            assertThat(c.queryOne("SELECT last_failed_wal FROM pg_stat_archiver")).isEqualTo(next);
            assertThat(c.dataDir().resolve("pg_wal/archive_status/" + next + ".ready")).exists();
            assertThat(new String(client.getObjectAsBytes(r -> r.bucket(bucket).key("pitr/main/wal_archive/" + next)).asByteArray()))
                    .isEqualTo("another server's segment");
            assertThat(Files.readString(c.logFile())).contains("refusing to overwrite s3://" + bucket + "/pitr/main/wal_archive/" + next);

            // the same content under that name counts as archived
            byte[] segment = Files.readAllBytes(c.dataDir().resolve("pg_wal").resolve(next));
            client.putObject(r -> r.bucket(bucket).key("pitr/main/wal_archive/" + next), RequestBody.fromBytes(segment));
        }
        waitFor(() -> next.equals(c.queryOne("SELECT last_archived_wal FROM pg_stat_archiver")), "segment " + next + " archived");
        assertThat(c.dataDir().resolve("pg_wal/archive_status/" + next + ".done")).exists();
    }

    @Test
    @Order(3)
    void restoreCommandFetchesASegmentAndFailsForAMissingOne() throws Exception {
        PgTestCluster c = pg.cluster();
        String segment = archived().get(0);
        Path into = home.resolve("fetched");
        Files.createDirectories(into);
        c.giveToServerUser(into);
        ServerShell shell = new ServerUserShell(c.pgContext().runner());
        String command = repo.wal().restoreCommand(Optional.empty());

        ServerShell.Result ok = shell.run(command.replace("%f", segment).replace("%p", into.resolve("RECOVERYXLOG").toString()), List.of());
        assertThat(ok.exitCode()).as(String.join("\n", ok.stderrTail())).isZero();
        try (var in = repo.wal().open(segment)) {
            assertThat(Files.readAllBytes(into.resolve("RECOVERYXLOG"))).isEqualTo(in.readAllBytes());
        }

        ServerShell.Result missing = shell.run(command.replace("%f", "00000001000000FF000000FF").replace("%p", into.resolve("MISSING").toString()), List.of());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(into.resolve("MISSING")).doesNotExist();
        try (var files = Files.list(into)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("RECOVERYXLOG");
        }
    }

    @Test
    @Order(4)
    void aStagedCopyIsTakenFirst() throws Exception {
        PgTestCluster c = pg.cluster();
        Path staged = home.resolve("staged");
        Path into = home.resolve("into");
        Files.createDirectories(staged);
        Files.createDirectories(into);
        String segment = archived().get(0);
        Files.writeString(staged.resolve(segment), "fetched ahead");
        c.giveToServerUser(staged);
        c.giveToServerUser(into);
        ServerShell shell = new ServerUserShell(c.pgContext().runner());
        String command = repo.wal().restoreCommand(Optional.of(staged));

        ServerShell.Result r = shell.run(command.replace("%f", segment).replace("%p", into.resolve("RECOVERYXLOG").toString()), List.of());
        assertThat(r.exitCode()).as(String.join("\n", r.stderrTail())).isZero();
        assertThat(Files.readString(into.resolve("RECOVERYXLOG"))).isEqualTo("fetched ahead");
        assertThat(staged.resolve(segment)).doesNotExist();
        // not staged: from the bucket
        String other = archived().get(1);
        r = shell.run(command.replace("%f", other).replace("%p", into.resolve("RECOVERYXLOG").toString()), List.of());
        assertThat(r.exitCode()).isZero();
        assertThat(into.resolve("RECOVERYXLOG")).hasSize(16L * 1024 * 1024);
    }

    @Test
    @Order(5)
    void whileTheServiceIsDownSegmentsWaitInPgWalAndArriveAfterwards() throws Exception {
        PgTestCluster c = pg.cluster();
        s3.stop();
        long failedBefore = Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver"));
        List<String> backlog = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.sql("INSERT INTO t VALUES (10)");
            backlog.add(c.queryOne("SELECT pg_walfile_name(pg_switch_wal())"));
        }
        waitFor(() -> Long.parseLong(c.queryOne("SELECT failed_count FROM pg_stat_archiver")) > failedBefore, "a failed archive attempt");
        assertThat(c.queryOne("SELECT last_failed_wal FROM pg_stat_archiver")).isEqualTo(backlog.get(0));
        for (String segment : backlog) {
            assertThat(c.dataDir().resolve("pg_wal/archive_status/" + segment + ".ready")).exists();
        }
        // one line saying what is wrong, one with what to do
        assertThat(Files.readString(c.logFile())).contains("archive-wal: cannot reach s3://" + bucket + "/pitr/main/wal_archive/")
                .contains("hint: check that the S3 service runs");

        s3.start();
        waitFor(() -> archived().containsAll(backlog), "backlog " + backlog + " in the bucket");
        for (String segment : backlog) {
            try (var in = repo.wal().open(segment)) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(c.dataDir().resolve("pg_wal").resolve(segment)));
            }
        }
    }

    @Test
    @Order(6)
    void aSegmentStoredAheadIsAnsweredAtOnceOnlyWhileItsFileIsUnchanged() throws Exception {
        PgTestCluster c = pg.cluster();
        // a data directory's pg_wal as the archiver leaves it: two segments ready
        Path data = home.resolve("data");
        Files.createDirectories(data.resolve("pg_wal/archive_status"));
        String first = "0000000900000000000000A1";
        String second = "0000000900000000000000A2";
        Files.write(data.resolve("pg_wal/" + first), new byte[] {1, 2, 3});
        Files.write(data.resolve("pg_wal/" + second), new byte[] {4, 5, 6});
        Files.createFile(data.resolve("pg_wal/archive_status/" + first + ".ready"));
        Files.createFile(data.resolve("pg_wal/archive_status/" + second + ".ready"));
        c.giveToServerUser(data);
        ServerShell shell = new ServerUserShell(c.pgContext().runner());
        String push = "cd \"$1\" && exec \"$2\" push \"pg_wal/$3\" \"$3\"";
        String script = repo.wal().archiveCommand().script().toString();

        assertThat(shell.run(push, List.of(data.toString(), script, first)).exitCode()).isZero();
        // the second went along with the first
        try (var in = repo.wal().open(second)) {
            assertThat(in.readAllBytes()).containsExactly(4, 5, 6);
        }
        // its file changed since (another cluster's segment of the same name): the note is not trusted,
        // the bucket is asked and the different content refused
        Thread.sleep(20);
        Files.write(data.resolve("pg_wal/" + second), new byte[] {7, 8, 9, 10});
        ServerShell.Result r = shell.run(push, List.of(data.toString(), script, second));
        assertThat(r.exitCode()).isNotZero();
        assertThat(String.join("\n", r.stderrTail())).contains("refusing to overwrite");
        try (var in = repo.wal().open(second)) {
            assertThat(in.readAllBytes()).containsExactly(4, 5, 6);
        }
    }

    @Test
    @Order(7)
    void theServerUsersWrongOrMissingCredentialsAreNamedInOneLineWithAHint() throws Exception {
        PgTestCluster c = pg.cluster();
        ServerShell shell = new ServerUserShell(c.pgContext().runner());
        Path wrong = c.baseDir().resolve("aws-wrong");
        Files.writeString(wrong, "[default]\naws_access_key_id = " + s3.credentials().get("AWS_ACCESS_KEY_ID") + "\naws_secret_access_key = not-the-secret\n");
        c.giveToServerUser(wrong);
        for (String file : List.of(wrong.toString(), c.baseDir().resolve("no-such-file").toString())) {
            Map<String, String> env = new HashMap<>(s3.credentials());
            env.put("AWS_SHARED_CREDENTIALS_FILE", file);
            try (S3Repository other = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/main",
                    new S3Options(s3.endpoint().toString(), null, true)), env, home.resolve("cache-" + file.hashCode()))) {
                other.wal().archiveCommand().install("none");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.wal().checkServerCanWrite(shell))
                        .isInstanceOf(io.pitrconsole.core.PitrException.class)
                        .satisfies(e -> {
                            io.pitrconsole.core.PitrException p = (io.pitrconsole.core.PitrException) e;
                            assertThat(p.getMessage()).doesNotContain("\n").startsWith("the OS user postgres cannot archive WAL into s3://" + bucket);
                            if (file.equals(wrong.toString())) {
                                assertThat(p.getMessage()).contains("access denied (HTTP 403)");
                                assertThat(p.hint()).contains("check the key and secret");
                            } else {
                                assertThat(p.getMessage()).contains("no AWS credentials").contains(file + " cannot be read");
                                assertThat(p.hint()).contains("credentials file it can read");
                            }
                        });
            }
        }
    }

    @Test
    @Order(8)
    void aScriptTheServerUserCannotReachIsNamedWithWhatToDo() throws Exception {
        PgTestCluster c = pg.cluster();
        // as root, a cache closed to others sends the script to the system folder: close that one here
        Path closed = home.resolve("closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        try (S3Repository other = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/main",
                new S3Options(s3.endpoint().toString(), null, true)), s3.credentials(), closed.resolve("cache"))) {
            other.wal().archiveCommand().install("none");
            Path folder = other.wal().archiveCommand().script().getParent();
            try {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.wal().checkServerCanWrite(new ServerUserShell(c.pgContext().runner())))
                        .isInstanceOf(io.pitrconsole.core.PitrException.class)
                        .hasMessageStartingWith("the OS user postgres cannot archive WAL into s3://" + bucket)
                        .satisfies(e -> assertThat(((io.pitrconsole.core.PitrException) e).hint())
                                .contains("every folder above it must be open to postgres").contains("'archiving apply' installs it again")
                                .contains("XDG_CACHE_HOME"));
            } finally {
                if (!folder.startsWith(closed)) {
                    io.pitrconsole.core.FileTrees.deleteRecursively(folder.getParent());
                }
            }
        }
    }

    private static List<String> archived() {
        return repo.wal().list().stream().map(WalFile::name).toList();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
