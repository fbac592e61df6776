package io.pitrconsole.it;

import io.pitrconsole.core.FileTrees;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.PgVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL cluster for tests (15 unless a major is asked for): initdb into a temp directory, a free port on
 * 127.0.0.1, wal_level replica, archive_mode on and an archive_command copying into
 * {@code <archive>/wal_archive}. When the tests run as root the server runs as the
 * {@code postgres} OS user. Always stop it with {@link #close()}.
 */
public final class PgTestCluster implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    /** Majors the tests run clusters of; .ci/install-pg-majors.sh installs those Debian lacks here. */
    public static final List<Integer> MAJORS = List.of(13, 14, 15, 16, 17, 18);
    /** Where .ci/install-pg-majors.sh puts the server programs (overridden by PITR_TEST_PG_ROOT). */
    static final Path DEFAULT_TEST_PG_ROOT = Path.of("/opt/pitr-console-test/pg");

    private final Path base;
    private final Path dataDir;
    private final Path archiveDir;
    private final Path logFile;
    private final int port;
    private final PgInstallation installation;
    private final ClusterControl control;
    private final OsUser osUser = new OsUser(OsUser.DEFAULT);

    private PgTestCluster(Path base, int port, PgInstallation installation) {
        this.base = base;
        this.dataDir = base.resolve("data");
        this.archiveDir = base.resolve("archive");
        this.logFile = base.resolve("server.log");
        this.port = port;
        this.installation = installation;
        this.control = new ClusterControl(installation, new PgToolRunner(osUser));
    }

    /** Creates and starts a cluster; extra settings are appended to postgresql.conf. */
    public static PgTestCluster start(Map<String, String> extraSettings) {
        return start(PgInstallation.locate(Optional.empty(), System.getenv(), Optional.of(15)), extraSettings);
    }

    /**
     * Creates and starts a cluster of that major. When its server programs are missing the test
     * fails under CI (which installs them) and is skipped, saying why, elsewhere.
     */
    public static PgTestCluster start(int major, Map<String, String> extraSettings) {
        return start(serverPrograms(major), extraSettings);
    }

    /**
     * The server programs (initdb, pg_ctl, postgres) of a major: Debian's when installed, else
     * those .ci/install-pg-majors.sh unpacked. Client programs such as pg_basebackup or psql
     * may be missing from the latter.
     */
    public static PgInstallation serverPrograms(int major) {
        Path debian = Path.of("/usr/lib/postgresql", String.valueOf(major), "bin");
        Path unpacked = testRoot().resolve(String.valueOf(major)).resolve("bin");
        for (Path dir : List.of(debian, unpacked)) {
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                    && Files.isExecutable(dir.resolve("postgres"))) {
                return new PgInstallation(dir, new PgVersion(major, 0));
            }
        }
        String why = "PostgreSQL " + major + " server programs are not installed (looked in " + debian + " and " + unpacked
                + "); .ci/install-pg-majors.sh installs them";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(why);
        }
        Assumptions.abort(why);
        throw new AssertionError(why);
    }

    /**
     * Creates and starts a cluster of that major whose installation also holds that major's own
     * client programs (pg_basebackup, psql, pg_verifybackup): what .ci/install-pg-clients.sh puts
     * in {@code <root>/<major>/full/bin} for the majors Debian here does not package. Fails under
     * CI when they are missing, and is skipped, saying why, elsewhere.
     */
    public static PgTestCluster startWithClients(int major, Map<String, String> extraSettings) {
        serverPrograms(major);
        Path full = testRoot().resolve(String.valueOf(major)).resolve("full").resolve("bin");
        if (!Files.isExecutable(full.resolve("pg_basebackup")) || !Files.isExecutable(full.resolve("pg_ctl"))) {
            String why = "PostgreSQL " + major + " client programs are not installed in " + full + "; .ci/install-pg-clients.sh installs them";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return start(new PgInstallation(full, new PgVersion(major, 0)), extraSettings);
    }

    private static Path testRoot() {
        String root = System.getenv("PITR_TEST_PG_ROOT");
        return root == null || root.isBlank() ? DEFAULT_TEST_PG_ROOT : Path.of(root);
    }

    private static PgTestCluster start(PgInstallation inst, Map<String, String> extraSettings) {
        Path base;
        try {
            base = Files.createTempDirectory("pitr-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int attempt = 0; ; attempt++) {
            PgTestCluster c = new PgTestCluster(base, freePort(), inst);
            try {
                c.init(extraSettings);
                c.control.start(c.dataDir, c.logFile, 60);
                return c;
            } catch (RuntimeException | IOException e) {
                // Another process may have taken the port between probe and start.
                if (attempt >= 2) {
                    String log = "";
                    try {
                        log = Files.exists(c.logFile) ? Files.readString(c.logFile) : "";
                    } catch (IOException ignored) {
                        // best effort
                    }
                    c.close();
                    throw new IllegalStateException("test cluster did not start: " + e.getMessage() + "\n" + log, e);
                }
                try {
                    FileTrees.deleteRecursively(c.dataDir);
                } catch (IOException ignored) {
                    // retried with a fresh initdb below
                }
            }
        }
    }

    public static PgTestCluster start() {
        return start(Map.of());
    }

    private void init(Map<String, String> extraSettings) throws IOException {
        Files.createDirectories(archiveDir.resolve("wal_archive"));
        giveToServerUser(base);
        control.initdb(dataDir, SUPERUSER, List.of());
        List<String> conf = new ArrayList<>(List.of(
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + base + "'",
                "wal_level = replica",
                "archive_mode = on",
                "archive_command = 'test ! -f " + walArchive() + "/%f && cp %p " + walArchive() + "/%f.tmp && mv " + walArchive() + "/%f.tmp " + walArchive() + "/%f'",
                "max_wal_senders = 10",
                "fsync = off",
                "full_page_writes = on",
                "log_timezone = 'UTC'",
                "timezone = 'UTC'"));
        extraSettings.forEach((k, v) -> conf.add(k + " = " + v));
        Files.write(dataDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
    }

    /** Makes a tree owned by the server's OS user, so the server may write into it (root runs only). */
    /**
     * A copy of this cluster's archive in a new temp directory, without its .pitr state (caches,
     * locks, reports), readable by the server's OS user, as restore_command needs. The caller removes it.
     */
    public Path copyOfArchive(String prefix) throws IOException {
        Path src = archiveDir;
        Path dst = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dst, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (java.util.stream.Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path rel = src.relativize(p);
                if (rel.toString().startsWith(".pitr")) {
                    continue;
                }
                Path t = dst.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        // a copy the server's OS user cannot read is, to restore_command, one with every file missing
        giveToServerUser(dst);
        return dst;
    }

    public void giveToServerUser(Path root) throws IOException {
        if (!OsUser.currentIsRoot()) {
            return;
        }
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser.name());
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setOwner(dir, owner);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.setOwner(file, owner);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path baseDir() {
        return base;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path archiveDir() {
        return archiveDir;
    }

    public Path walArchive() {
        return archiveDir.resolve("wal_archive");
    }

    public Path logFile() {
        return logFile;
    }

    /** The server's major version. */
    public int major() {
        return installation.version().major();
    }

    public PgInstallation installation() {
        return installation;
    }

    public ClusterControl control() {
        return control;
    }

    public ConnectionSettings connection() {
        return ConnectionSettings.local(port, SUPERUSER);
    }

    public PgContext pgContext() {
        return new PgContext(Optional.of(installation.binDir()), Map.of(), osUser);
    }

    public Connection connect() {
        return PgConnections.open(connection());
    }

    /** Runs statements (separated by ';' is fine) in autocommit mode. */
    public void sql(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, as text. */
    public String queryOne(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Forces the current WAL segment out and waits until the archiver has copied it. */
    public String switchWalAndWaitArchived(Duration timeout) {
        String segment = queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(walArchive().resolve(segment))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("segment " + segment + " was not archived within " + timeout);
            }
            pause(50);
        }
        return segment;
    }

    /**
     * Forces the current WAL segment out (after a transaction, so it is not empty) and waits until the
     * server reports it archived, whatever the archive's kind, compression or encryption; its name.
     */
    public String switchWalAndWaitArchivedByServer() {
        sql("SELECT txid_current()");
        String last = queryOne("SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!last.equals(queryOne("SELECT last_archived_wal FROM pg_stat_archiver"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("segment " + last + " was not archived within 60 s; last failed: "
                        + queryOne("SELECT last_failed_wal FROM pg_stat_archiver"));
            }
            pause(100);
        }
        return last;
    }

    /** The server's clock now, to the microsecond: a target time between two moments of a test. */
    public OffsetDateTime serverNow() {
        return OffsetDateTime.parse(queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    /**
     * Whether a file of the server's own pg_wal holds the text: a marker written into the database is
     * there in plain, so a test that looks for it elsewhere can fail.
     */
    public boolean plainWalHolds(String text) throws IOException {
        try (java.util.stream.Stream<Path> wal = Files.list(dataDir.resolve("pg_wal"))) {
            for (Path f : wal.filter(Files::isRegularFile).toList()) {
                try {
                    if (new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) {
                        return true;
                    }
                } catch (java.nio.file.NoSuchFileException recycled) {
                    // the server removed or renamed it meanwhile
                }
            }
        }
        return false;
    }

    /** Puts a line at the top of pg_hba.conf (first match wins) and reloads. */
    public void prependHba(String line) {
        try {
            Path hba = dataDir.resolve("pg_hba.conf");
            String old = Files.readString(hba);
            Files.writeString(hba, line + "\n" + old);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        sql("SELECT pg_reload_conf()");
        pause(300);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                control.stop(dataDir, "immediate");
            }
        } catch (RuntimeException e) {
            // still remove the files below
        }
        try {
            FileTrees.deleteRecursively(base);
        } catch (IOException ignored) {
            // temp dir; the OS cleans it eventually
        }
    }
}
