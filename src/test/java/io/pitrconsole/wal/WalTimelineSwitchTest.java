package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ToolCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby cloned from the test cluster is promoted: its new timeline's first segment holds the
 * end-of-recovery record, and the old timeline's last segment is archived as .partial.
 */
class WalTimelineSwitchTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @Test
    void promotedCloneWritesEndOfRecoveryOnItsNewTimeline(@TempDir Path tmp) throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t(a int); INSERT INTO t VALUES (1)");
        Path clone = c.baseDir().resolve("clone");
        PgToolRunner runner = new PgToolRunner(new OsUser(OsUser.DEFAULT));
        runner.run(ToolCommand.of(c.installation().tool("pg_basebackup"), "-D", clone.toString(), "-R", "-X", "stream",
                "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", PgTestCluster.SUPERUSER, "--checkpoint=fast")
                .runAsServerUser());
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(clone.resolve("postgresql.auto.conf"), "port = " + port + "\n", StandardOpenOption.APPEND);
        c.control().start(clone, c.baseDir().resolve("clone.log"), 60);
        try {
            ConnectionSettings cloneConn = ConnectionSettings.local(port, PgTestCluster.SUPERUSER);
            try (Connection con = PgConnections.open(cloneConn); Statement st = con.createStatement()) {
                // The backup ended with a segment switch, so without more WAL the standby would be
                // promoted exactly on a segment boundary, where PostgreSQL archives no .partial file.
                c.sql("INSERT INTO t VALUES (2)");
                String primaryLsn = c.queryOne("SELECT pg_current_wal_lsn()");
                Instant replayDeadline = Instant.now().plusSeconds(60);
                while (!text(st, "SELECT pg_last_wal_replay_lsn() >= '" + primaryLsn + "'::pg_lsn").equals("t")) {
                    assertThat(Instant.now()).as("standby replaying up to " + primaryLsn).isBefore(replayDeadline);
                    Thread.sleep(50);
                }
                st.execute("SELECT pg_promote(true, 60)");
                // enough WAL to fill pages written wholly on the new timeline
                for (int i = 0; i < 3; i++) {
                    st.execute("INSERT INTO t SELECT g FROM generate_series(1, 500) g");
                }
                String segment = text(st, "SELECT pg_walfile_name(pg_switch_wal())");
                waitFor(c.walArchive().resolve(segment));
                waitFor(c.walArchive().resolve("00000002.history"));
                // the archiver may take the old timeline's .partial after the files above
                Instant partialDeadline = Instant.now().plusSeconds(60);
                while (!hasPartial(c.walArchive())) {
                    assertThat(Instant.now()).as("waiting for the old timeline's .partial segment").isBefore(partialDeadline);
                    Thread.sleep(100);
                }
            }
        } finally {
            c.control().stop(clone, "immediate");
        }

        List<Path> tli2 = WalWorkload.segments(c.walArchive()).stream()
                .filter(p -> p.getFileName().toString().startsWith("00000002")).toList();
        assertThat(tli2).isNotEmpty();
        Path first = tli2.get(0);
        SegmentScan scan = WalSegmentReader.scan(WalWorkload.nameOf(first), first,
                tli2.size() > 1 ? Optional.of(tli2.get(1)) : Optional.empty());
        assertThat(scan.info().damage()).isEmpty();
        assertThat(scan.endsOfRecovery()).hasSize(1);
        EndOfRecovery eor = scan.endsOfRecovery().get(0);
        assertThat(eor.timeline()).isEqualTo(2);
        assertThat(eor.previousTimeline()).isEqualTo(1);
        assertThat(scan.pageTimelineLast()).isEqualTo(2);

        // the same record, time and transactions as pg_waldump sees on that segment
        Path dumpDir = Files.createDirectories(tmp.resolve("tli2"));
        Files.copy(first, dumpDir.resolve(first.getFileName()));
        String name = first.getFileName().toString();
        List<Waldump.Line> dump = Waldump.records(c.installation().binDir(), dumpDir, name, name);
        Waldump.Line eorLine = dump.stream().filter(l -> l.op().equals("END_OF_RECOVERY")).findFirst().orElseThrow();
        assertThat(eorLine.lsn()).isEqualTo(eor.lsn());
        assertThat(eorLine.desc()).startsWith("tli 2; prev tli 1; time ");
        assertThat(eorLine.desc()).contains(Waldump.utcText(eor.time()));
        assertThat(scan.transactions()).containsExactlyElementsOf(dump.stream().flatMap(l -> Waldump.xactEnd(l).stream()).toList());
        assertThat(scan.transactions()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(scan.checkpoints()).allSatisfy(cp -> assertThat(cp.timeline()).isEqualTo(2));

        // the old timeline's unfinished segment: valid WAL that simply stops
        Path partial = c.walArchive().resolve(WalSegmentName.parse(name, WalSegmentName.DEFAULT_SEGMENT_SIZE)
                .toString().replaceFirst("^00000002", "00000001") + ".partial");
        assertThat(partial).exists();
        SegmentInfo p = WalSegmentReader.read(WalWorkload.nameOf(partial), partial, Optional.empty());
        assertThat(p.damage()).isEmpty();
        assertThat(p.complete()).isFalse();
        assertThat(p.endLsn()).isLessThanOrEqualTo(eor.lsn());
        Path partialDir = Files.createDirectories(tmp.resolve("partial"));
        Path plainCopy = partialDir.resolve(partial.getFileName().toString().substring(0, 24));
        Files.copy(partial, plainCopy, StandardCopyOption.REPLACE_EXISTING);
        List<Waldump.Line> partialDump = Waldump.records(c.installation().binDir(), partialDir,
                plainCopy.getFileName().toString(), plainCopy.getFileName().toString());
        assertThat(WalSegmentReader.scan(WalWorkload.nameOf(partial), partial, Optional.empty()).transactions())
                .containsExactlyElementsOf(partialDump.stream().flatMap(l -> Waldump.xactEnd(l).stream()).toList());
        assertThat(p.lastXactTime()).isPresent();
    }

    private static String text(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean hasPartial(Path walArchive) throws java.io.IOException {
        try (var files = Files.list(walArchive)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("00000001[0-9A-F]{16}\\.partial"));
        }
    }

    private static void waitFor(Path file) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.exists(file)) {
            assertThat(Instant.now()).as("waiting for " + file).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
