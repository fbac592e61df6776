package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Finding;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.session.ClusterServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console run as root, as on many database hosts, with its own cache in /root, which the
 * server's OS user (postgres) cannot enter: the bucket's archive_command script is installed where
 * postgres can run it, a real PostgreSQL 15 server archives through it into a real S3 API server
 * (s3proxy), and 'archiving verify' passes.
 */
class S3ScriptLocationTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static ClusterServices services;
    private static Path installed;
    private static Path cache;

    @AfterAll
    static void removeTheScript() throws Exception {
        if (services != null) {
            services.close();
        }
        // the repository's own folders only, never the shared parents
        if (cache != null && cache.startsWith("/root/.cache/pitr-console/s3/")) {
            FileTrees.deleteRecursively(cache);
        }
        if (installed != null && installed.startsWith("/var/lib/pitr-console/s3/")) {
            FileTrees.deleteRecursively(installed.getParent().getParent());
        }
    }

    @Test
    void asRootTheScriptIsWhereTheServersUserRunsItAndArchivingVerifyPasses() throws Exception {
        assumeTrue(OsUser.currentIsRoot(), "runs as root, whose home the server's OS user cannot enter");
        PgTestCluster c = pg.cluster();
        assumeTrue(!"root".equals(c.pgContext().serverUser().name()), "the server runs as another OS user");
        Path rootHome = Path.of("/root");
        assertThat(Files.getPosixFilePermissions(rootHome)).as("/root is closed to others here")
                .doesNotContain(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);

        Path credentials = c.baseDir().resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + s3.credentials().get("AWS_ACCESS_KEY_ID")
                + "\naws_secret_access_key = " + s3.credentials().get("AWS_SECRET_ACCESS_KEY") + "\n");
        c.giveToServerUser(credentials);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        // root's own environment: no XDG_CACHE_HOME, so the console's cache is /root/.cache/pitr-console
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put("HOME", rootHome.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        String location = "s3://" + s3.newBucket() + "/pitr/main";
        services = new ClusterServices(() -> Optional.of("main"),
                () -> ClusterServices.openRepository(location, new S3Options(s3.endpoint().toString(), null, true), env),
                c::connection, c::pgContext, env);
        Repository repo = services.repository();
        cache = repo.localCache();
        assertThat(cache).startsWithRaw(rootHome);

        ArchivingService archiving = services.archiving();
        archiving.apply(archiving.generate(Compression.NONE, Duration.ofSeconds(300)), false, Optional.empty());
        installed = repo.wal().archiveCommand().script();
        assertThat(installed).startsWithRaw(Path.of("/var/lib/pitr-console/s3"));
        assertThat(c.queryOne("SHOW archive_command")).contains(installed.toString());
        assertThat(Files.readString(installed)).doesNotContain(s3.credentials().get("AWS_SECRET_ACCESS_KEY"));

        c.sql("CREATE TABLE t(i int); INSERT INTO t VALUES (1)");
        String segment = c.queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!repo.wal().list().stream().map(WalFile::name).toList().contains(segment)) {
            assertThat(System.nanoTime()).as("segment " + segment + " in the bucket within 60 s; server log:\n"
                    + Files.readString(c.logFile())).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(c.queryOne("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");

        List<Finding> findings = services.archiving().verify(Duration.ofSeconds(30));
        assertThat(findings).as(findings.toString()).filteredOn(f -> f.level() == Finding.Level.FAIL).isEmpty();
        assertThat(findings).anySatisfy(f -> assertThat(f.check()).isEqualTo("archive writable"));
    }
}
