package io.pitrconsole.practice;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Gives a fresh practice cluster some history worth restoring: a small shop schema, a steady
 * trickle of orders, backups at the start, middle and near the end, and restore points just before
 * the two "mistakes" a DBA would want to undo (a price change and a cleanup).
 */
final class PracticeHistory {
    /** One moment in the scripted history, as a fraction of its length. */
    private record Event(double at, String what) {
    }

    private static final List<Event> SCRIPT = List.of(
            new Event(0.0, "backup"),
            new Event(0.30, "restore point before_price_change"),
            new Event(0.32, "price change"),
            new Event(0.50, "backup"),
            new Event(0.70, "restore point before_cleanup"),
            new Event(0.72, "cleanup"),
            new Event(0.85, "backup"));

    private final ConnectionSettings connection;
    private final BackupService backups;
    private final Random random = new Random(15);
    private int backupCount;
    private int restorePointCount;

    PracticeHistory(ConnectionSettings connection, BackupService backups) {
        this.connection = connection;
        this.backups = backups;
    }

    int backups() {
        return backupCount;
    }

    int restorePoints() {
        return restorePointCount;
    }

    /** Runs the script over the given length; orders keep trickling in between the events. */
    void write(Duration length, ProgressListener progress, Cancellation cancel) {
        try (Connection c = PgConnections.open(connection); Statement st = c.createStatement()) {
            createSchema(st);
            long start = System.nanoTime();
            long total = length.toMillis();
            int next = 0;
            while (true) {
                cancel.throwIfCancelled("practice history");
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                while (next < SCRIPT.size() && elapsed >= SCRIPT.get(next).at() * total) {
                    progress.progress(elapsed, total, SCRIPT.get(next).what());
                    run(SCRIPT.get(next), st, cancel);
                    next++;
                }
                if (elapsed >= total) {
                    break;
                }
                order(st);
                progress.progress(elapsed, total, "orders trickling in");
                sleep(Math.min(1000, total - elapsed));
            }
            // one more order after the last backup, which may have run past the end: without a
            // transaction after its stop, the newest backup's window would be empty
            order(st);
            // the newest segment goes to the archive now instead of at the next archive_timeout
            st.execute("SELECT pg_switch_wal()");
        } catch (SQLException e) {
            throw PgConnections.queryFailed(connection, e);
        }
    }

    private void order(Statement st) throws SQLException {
        st.execute("INSERT INTO shop.orders (customer_id, product_id, quantity) VALUES ("
                + (1 + random.nextInt(200)) + ", " + (1 + random.nextInt(50)) + ", " + (1 + random.nextInt(4)) + ")");
    }

    private void run(Event e, Statement st, Cancellation cancel) throws SQLException {
        switch (e.what()) {
            case "backup" -> {
                backups.create(BackupRequest.defaults(connection).withLabel("practice backup " + (backupCount + 1)),
                        ProgressListener.NONE, cancel);
                backupCount++;
            }
            case "price change" -> st.execute("UPDATE shop.products SET price = round(price * 1.10, 2)");
            case "cleanup" -> st.execute("DELETE FROM shop.orders WHERE quantity = 1");
            default -> {
                String name = e.what().substring("restore point ".length());
                st.execute("SELECT pg_create_restore_point('" + name + "')");
                restorePointCount++;
            }
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
            throw new PitrException("interrupted while writing the practice history", "run 'demo remove' and start again");
        }
    }
}
