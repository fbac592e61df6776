package io.pitrconsole.practice;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.repository.Repository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Gives a fresh practice cluster some history worth restoring: a small shop schema, a steady
 * trickle of orders, backups at the start, middle and near the end, and restore points just before
 * the two "mistakes" a DBA would want to undo (a price change and a cleanup).
 *
 * <p>The first backup and archived WAL with commits after it come first, as fast as the server
 * allows, so a new user sees a restorable range within seconds; the rest of the history is written
 * in real time afterwards, because its times are the transactions' own.
 */
final class PracticeHistory {
    /** One moment in the scripted history after the first backup, as a fraction of its length. */
    private record Event(double at, String what) {
    }

    private static final List<Event> SCRIPT = List.of(
            new Event(0.30, "restore point before_price_change"),
            new Event(0.32, "price change"),
            new Event(0.50, "backup"),
            new Event(0.70, "restore point before_cleanup"),
            new Event(0.72, "cleanup"),
            new Event(0.85, "backup"));
    /** How long the WAL of the first range may take to reach the archive before that counts as broken archiving. */
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);
    /** The restorable range grows by a forced segment switch this often, rather than at archive_timeout (300 s). */
    private static final long SWITCH_EVERY_MILLIS = 30_000;

    private final ConnectionSettings connection;
    private final BackupService backups;
    private final Repository archive;
    private final Random random = new Random(15);
    private int backupCount;
    private int restorePointCount;
    private long startNanos;

    PracticeHistory(ConnectionSettings connection, BackupService backups, Repository archive) {
        this.connection = connection;
        this.backups = backups;
        this.archive = archive;
    }

    int backups() {
        return backupCount;
    }

    int restorePoints() {
        return restorePointCount;
    }

    /**
     * Sample data, the first backup and a few orders after it, archived at once by a segment switch:
     * returns when that WAL is in the archive, so the backup has a restorable range. Returns when
     * the history began (the first backup's start).
     */
    Instant firstRange(PracticeListener listener, Cancellation cancel) {
        try (Connection c = PgConnections.open(connection); Statement st = c.createStatement()) {
            Steps steps = new Steps(listener);
            steps.run("sample data", () -> createSchema(st));
            cancel.throwIfCancelled("creating the practice cluster");
            Instant from = Instant.now();
            startNanos = System.nanoTime();
            steps.run("backup 1", () -> backup(cancel));
            cancel.throwIfCancelled("creating the practice cluster");
            steps.run("first orders archived", () -> {
                for (int i = 0; i < 3; i++) {
                    order(st);
                }
                awaitArchived(switchWal(st), cancel);
            });
            return from;
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
    }

    /**
     * The rest of the script over the given length, counted from the first backup; orders keep
     * trickling in between the events. Cancelling stops it between two steps (a backup that has
     * begun is finished, so no failed backup is left) and returns what was written.
     */
    HistoryProgress grow(Duration length, PracticeListener listener, Cancellation cancel) {
        long total = length.toMillis();
        try (Connection c = PgConnections.open(connection); Statement st = c.createStatement()) {
            Steps steps = new Steps(listener);
            int next = 0;
            long lastSwitch = elapsedMillis();
            while (!cancel.isCancelled()) {
                long elapsed = elapsedMillis();
                while (next < SCRIPT.size() && elapsed >= SCRIPT.get(next).at() * total && !cancel.isCancelled()) {
                    Event e = SCRIPT.get(next);
                    steps.run(stepName(e), () -> run(e, st));
                    next++;
                    listener.history(progress(length));
                }
                if (elapsed >= total || cancel.isCancelled()) {
                    break;
                }
                order(st);
                if (elapsed - lastSwitch >= SWITCH_EVERY_MILLIS) {
                    switchWal(st);
                    lastSwitch = elapsed;
                }
                listener.history(progress(length));
                sleep(Math.min(1000, total - elapsed));
            }
            // one more order after the last backup, which may have run past the end: without a
            // transaction after its stop, the newest backup's window would be empty
            order(st);
            // the newest segment goes to the archive now instead of at the next archive_timeout, and
            // the history is complete only once it is there: windows read right after it must reach
            // past the newest backup's stop, or the restorable range shows split in two
            String last = switchWal(st);
            if (!cancel.isCancelled()) {
                awaitArchived(last, cancel);
            }
            HistoryProgress end = progress(length);
            listener.history(end);
            return end;
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
    }

    HistoryProgress progress(Duration length) {
        return new HistoryProgress(Duration.ofMillis(elapsedMillis()), length, backupCount, restorePointCount);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private String stepName(Event e) {
        return e.what().equals("backup") ? "backup " + (backupCount + 1) : e.what();
    }

    private void order(Statement st) throws SQLException {
        st.execute("INSERT INTO shop.orders (customer_id, product_id, quantity) VALUES ("
                + (1 + random.nextInt(200)) + ", " + (1 + random.nextInt(50)) + ", " + (1 + random.nextInt(4)) + ")");
    }

    private void run(Event e, Statement st) throws SQLException {
        switch (e.what()) {
            // a backup that has begun is finished even when the history is stopped meanwhile
            case "backup" -> backup(Cancellation.none());
            case "price change" -> st.execute("UPDATE shop.products SET price = round(price * 1.10, 2)");
            case "cleanup" -> st.execute("DELETE FROM shop.orders WHERE quantity = 1");
            default -> {
                String name = e.what().substring("restore point ".length());
                st.execute("SELECT pg_create_restore_point('" + name + "')");
                restorePointCount++;
            }
        }
    }

    private void backup(Cancellation cancel) {
        backups.create(BackupRequest.defaults(connection).withLabel("practice backup " + (backupCount + 1)),
                ProgressListener.NONE, cancel);
        backupCount++;
    }

    /** Forces the current segment out to the archive; returns its name. */
    private static String switchWal(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private boolean archived(String segment) {
        try (var in = archive.wal().open(segment)) {
            return true;
        } catch (java.io.IOException notYet) {
            return false;
        }
    }

    private void awaitArchived(String segment, Cancellation cancel) {
        long deadline = System.nanoTime() + ARCHIVE_WAIT.toNanos();
        while (!archived(segment)) {
            cancel.throwIfCancelled("creating the practice cluster");
            if (System.nanoTime() > deadline) {
                throw new PitrException("the WAL segment " + segment + " did not reach " + archive.wal().describe() + " within "
                        + ARCHIVE_WAIT.toSeconds() + " s", "the practice server's log (server.log beside the archive) says why"
                        + " archive_command fails");
            }
            sleep(100);
        }
    }

    private static void createSchema(Statement st) throws SQLException {
        List<String> ddl = new ArrayList<>(List.of(
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE shop.products (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL)",
                "CREATE TABLE shop.orders (id bigserial PRIMARY KEY, customer_id int REFERENCES shop.customers,"
                        + " product_id int REFERENCES shop.products, quantity int NOT NULL,"
                        + " ordered_at timestamptz NOT NULL DEFAULT clock_timestamp())",
                "INSERT INTO shop.customers SELECT g, 'customer ' || g FROM generate_series(1, 200) g",
                "INSERT INTO shop.products SELECT g, 'product ' || g, 5 + g * 1.5 FROM generate_series(1, 50) g",
                "INSERT INTO shop.orders (customer_id, product_id, quantity, ordered_at)"
                        + " SELECT 1 + g % 200, 1 + g % 50, 1 + g % 4, now() - (g || ' minutes')::interval"
                        + " FROM generate_series(1, 5000) g"));
        for (String sql : ddl) {
            st.execute(sql);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while writing the practice history",
                    Hint.of("run 'demo status' to see what was written", "the practice card on the Dashboard shows what was written"));
        }
    }

    /** Runs a step between the listener's start and done calls, timing it. */
    static final class Steps {
        interface Step {
            void run() throws SQLException;
        }

        private final PracticeListener listener;

        Steps(PracticeListener listener) {
            this.listener = listener;
        }

        void run(String name, Step step) throws SQLException {
            listener.stepStarted(name);
            long start = System.nanoTime();
            step.run();
            listener.stepDone(name, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
