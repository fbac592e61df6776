package io.pitrconsole.archiving;

import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.pg.ServerUserShell;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves archiving works end to end: the settings, the archive's permissions for the server's OS
 * user, and one real segment forced out with pg_switch_wal() arriving in the archive.
 */
final class ArchivingVerifier {
    private static final List<String> NAMES = List.of("wal_level", "archive_mode", "archive_command", ArchivingSetup.LIBRARY,
            "archive_timeout", "server_version_num");
    private static final List<String> IN_EFFECT = List.of("wal_level", "archive_mode", "archive_command", ArchivingSetup.LIBRARY);

    private final WalStore wal;
    private final PgContext pg;
    private final ConnectionSettings connection;

    /** {@code wal}: the archive the server's archive_command stores into. */
    ArchivingVerifier(WalStore wal, PgContext pg, ConnectionSettings connection) {
        this.wal = wal;
        this.pg = pg;
        this.connection = connection;
    }

    List<Finding> verify(Duration wait, boolean forceSwitch) {
        List<Finding> findings = new ArrayList<>();
        try (Connection c = PgConnections.open(connection)) {
            ServerSettings s = ServerSettings.read(c, connection, NAMES);
            findings.addAll(settingFindings(s));
            Finding writable = writableByServer();
            findings.add(writable);
            boolean inEffect = findings.stream().filter(f -> IN_EFFECT.contains(f.check()))
                    .noneMatch(f -> f.level() == Finding.Level.FAIL);
            // without forceSwitch the server's WAL is left alone: the settings and permissions are all that is proved
            if (forceSwitch && inEffect) {
                findings.add(switchAndWait(c, wait));
            } else if (forceSwitch) {
                findings.add(Finding.fail("segment archived", "not tried: archiving is not in effect on the server",
                        "fix the failures above first"));
            }
            findings.add(archiverFailures(ArchiverCounters.read(c, connection)));
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
        return findings;
    }

    private List<Finding> settingFindings(ServerSettings s) {
        List<Finding> out = new ArrayList<>();
        Hint restartHint = Hint.of("restart the server (or run 'archiving apply --restart')",
                "restart the server (or click Apply... on the WAL Archiving page and choose 'Apply and restart the server')");
        Hint applyAndRestart = Hint.of("run 'archiving apply --restart'",
                "click Apply... on the WAL Archiving page and choose 'Apply and restart the server'");
        String level = s.value("wal_level");
        if (s.pendingRestart("wal_level")) {
            out.add(Finding.fail("wal_level", "is " + level + "; a new value waits for a server restart", restartHint));
        } else if (level.equals("replica") || level.equals("logical")) {
            out.add(Finding.pass("wal_level", level));
        } else {
            out.add(Finding.fail("wal_level", "is " + level + ": WAL lacks what archive recovery needs",
                    Hint.of("run 'archiving apply --restart' (sets wal_level = replica)", applyAndRestart.console()
                            + " (it sets wal_level = replica)")));
        }
        String mode = s.value("archive_mode");
        if (s.pendingRestart("archive_mode")) {
            out.add(Finding.fail("archive_mode", "is " + mode + "; a new value waits for a server restart", restartHint));
        } else if (mode.equals("on") || mode.equals("always")) {
            out.add(Finding.pass("archive_mode", mode));
        } else {
            out.add(Finding.fail("archive_mode", "is off: the server archives no WAL", applyAndRestart));
        }
        String command = s.value("archive_command");
        String ours = wal.archiveCommand().setting();
        if (command.isBlank() || command.equals("(disabled)")) {
            out.add(Finding.fail("archive_command", "is empty: completed segments pile up in pg_wal",
                    Hint.of("run 'archiving apply'", "click Apply... on the WAL Archiving page")));
        } else if (!command.equals(ours)) {
            out.add(Finding.warn("archive_command", "is not this archive's script: " + command,
                    Hint.of("run 'archiving apply' so segments go to " + wal.describe() + " safely",
                            "click Apply... on the WAL Archiving page so segments go to " + wal.describe() + " safely")));
        } else if (!wal.archiveCommand().installed()) {
            out.add(Finding.fail("archive_command", "runs " + wal.archiveCommand().script() + ", which is missing",
                    Hint.of("run 'archiving apply' to install it again", "click Apply... on the WAL Archiving page to install it again")));
        } else {
            out.add(Finding.pass("archive_command", command));
        }
        if (s.has(ArchivingSetup.LIBRARY)) {
            out.add(libraryFinding(s.value(ArchivingSetup.LIBRARY), command, s.value("server_version_num")));
        }
        String timeout = s.value("archive_timeout");
        if (timeout.equals("0")) {
            out.add(Finding.warn("archive_timeout", "is 0: on a quiet server a segment may wait for hours before it is archived",
                    Hint.of("set archive_timeout = 300 (run 'archiving apply') to bound the data you can lose",
                            "set the archive timeout to 300 s and click Apply... on the WAL Archiving page, to bound the data you can lose")));
        } else {
            out.add(Finding.pass("archive_timeout", timeout + " s"));
        }
        return out;
    }

    private static Finding libraryFinding(String library, String command, String versionNum) {
        if (library.isEmpty()) {
            return Finding.pass(ArchivingSetup.LIBRARY, "is empty: the server runs archive_command");
        }
        String why;
        if (versionNum.startsWith("15")) {
            why = "PostgreSQL 15 runs that module and ignores archive_command";
        } else if (command.isBlank()) {
            why = "the server archives through that module, not archive_command";
        } else {
            why = "PostgreSQL 16 and later archive nothing while both archive_command and archive_library are set";
        }
        return Finding.fail(ArchivingSetup.LIBRARY, "is '" + library + "': " + why,
                Hint.of("run 'archiving apply', which sets archive_library = '' (WAL then no longer goes through " + library + ")",
                        "click Apply... on the WAL Archiving page, which sets archive_library = '' (WAL then no longer goes through "
                                + library + ")"));
    }

    private Finding writableByServer() {
        ServerShell shell = new ServerUserShell(pg.runner());
        try {
            wal.checkServerCanWrite(shell);
        } catch (PitrException e) {
            return Finding.fail("archive writable", e.getMessage(), e.hint());
        }
        String who = shell.switchesUser() ? "the OS user " + shell.user() : "this user";
        return Finding.pass("archive writable", who + " can create files in " + wal.describe());
    }

    private Finding switchAndWait(Connection c, Duration wait) throws SQLException {
        ArchiverCounters before = ArchiverCounters.read(c, connection);
        String segment;
        try (Statement st = c.createStatement()) {
            // pg_switch_wal() does nothing when no WAL was written since the last switch.
            st.execute("SELECT txid_current()");
            try (ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
        }
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        while (true) {
            if (archived(segment)) {
                return Finding.pass("segment archived", segment + " arrived in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            ArchiverCounters now = ArchiverCounters.read(c, connection);
            if (now.failedCount() > before.failedCount() && segment.equals(now.lastFailedWal())) {
                return Finding.fail("segment archived", "archive_command failed for " + segment,
                        "the server log says why; check that " + wal.describe() + " is writable for "
                                + pg.serverUser().name() + " and has free space");
            }
            if (System.nanoTime() > deadline) {
                return Finding.fail("segment archived", segment + " did not arrive in " + wal.describe() + " within "
                        + wait.toSeconds() + " s", "check the server log for archive_command errors, and that archive_command"
                        + " writes into " + wal.describe());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Finding.fail("segment archived", "interrupted while waiting for " + segment, "run verify again");
            }
        }
    }

    /** Whether the segment arrived, plain or compressed; opening it is the one question every kind of archive answers. */
    private boolean archived(String segment) {
        for (String name : List.of(segment, segment + ".gz", segment + ".zst")) {
            try (InputStream in = wal.open(name)) {
                return true;
            } catch (NoSuchFileException notYet) {
                // not there (yet)
            } catch (IOException e) {
                // there, but this user cannot open it: it arrived all the same
                return true;
            }
        }
        return false;
    }

    private static Finding archiverFailures(ArchiverCounters k) {
        if (k.failing()) {
            return Finding.fail("archiver", "the last attempt failed: " + k.lastFailedWal() + " at " + k.lastFailedTime()
                    + " (" + k.failedCount() + " failures since " + k.statsReset() + ")",
                    "the server log shows archive_command's error; fix it and the server retries on its own");
        }
        if (k.failedCount() > 0) {
            return Finding.warn("archiver", k.failedCount() + " failed attempts since " + k.statsReset() + ", last "
                    + k.lastFailedWal() + " at " + k.lastFailedTime() + "; archiving has succeeded since",
                    "look at the server log around that time; SELECT pg_stat_reset_shared('archiver') clears the counter");
        }
        return Finding.pass("archiver", k.archivedCount() + " segments archived, no failures");
    }
}
