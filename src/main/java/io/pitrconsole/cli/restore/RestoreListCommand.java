package io.pitrconsole.cli.restore;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.cli.wal.WalJson;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.target.UnrestorableBackup;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.RestorePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the backups with what each can restore to (window per timeline, or why not), and the restore points.")
public final class RestoreListCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    RestoreListCommand(CliContext ctx) {
        super(ctx);
    }

    /** One backup and what it can restore to. */
    private record Row(String id, String status, BackupRecord record, List<RecoveryWindow> windows, String notRestorable) {
    }

    @Override
    protected int run() {
        List<CatalogEntry> entries = services().backups().list();
        RecoveryWindows w = services().windows().windows(ProgressListener.NONE, Cancellation.none());
        List<Row> rows = new ArrayList<>();
        for (CatalogEntry e : entries) {
            BackupRecord r = e.record().orElse(null);
            List<RecoveryWindow> mine = w.windows().stream().filter(x -> x.backupId().equals(e.id())).toList();
            String why = e.problem().orElse(null);
            if (why == null && mine.isEmpty()) {
                why = w.unrestorable().stream().filter(u -> u.backupId().equals(e.id())).map(UnrestorableBackup::reason).findFirst()
                        .orElse(r != null && r.status() != null && !r.status().usable() ? "it is " + r.status() : "no WAL reaches its end");
            }
            rows.add(new Row(e.id(), r == null || r.status() == null ? "unreadable" : r.status().toString(), r, mine, why));
        }
        List<RestorePoint> points = w.index().restorePoints();
        if (json) {
            printJson(json(rows, points, w));
            return 0;
        }
        var out = ctx.out();
        if (rows.isEmpty()) {
            out.println("no backups in " + repository().location() + " ('backup create' takes one)");
        }
        for (Row row : rows) {
            String size = row.record() == null ? "" : ByteSize.of(row.record().originalSizeBytes()).human();
            out.printf("%s  %-10s stopped %s  %s%n", row.id(), row.status(), row.record() == null ? "-" : Formats.time(row.record().stopTime()), size);
            for (RecoveryWindow x : row.windows()) {
                out.printf("    timeline %d%s: %s .. %s%s%n", x.timeline(), w.isAbandoned(x.timeline()) ? " (abandoned)" : "",
                        Formats.preciseTime(x.from()), Formats.preciseTime(x.to()),
                        x.endedByGap().map(g -> "  (ends at a gap after " + g.after() + ")").orElse(""));
            }
            if (row.notRestorable() != null) {
                out.println("    not restorable: " + row.notRestorable());
            }
        }
        out.println();
        if (points.isEmpty()) {
            out.println("no restore points (SELECT pg_create_restore_point('name') makes one)");
        } else {
            out.println("Restore points:");
            points.forEach(p -> out.printf("  %-30s %s  %s  timeline %d%n", p.name(), Formats.preciseTime(p.time()), p.lsn(), p.timeline()));
        }
        return 0;
    }

    private static Map<String, Object> json(List<Row> rows, List<RestorePoint> points, RecoveryWindows w) {
        List<Map<String, Object>> backups = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", row.id());
            m.put("status", row.status());
            m.put("stopTime", row.record() == null ? null : row.record().stopTime());
            m.put("originalSizeBytes", row.record() == null ? null : row.record().originalSizeBytes());
            m.put("windows", row.windows().stream().map(x -> WalJson.window(x, w)).toList());
            m.put("notRestorable", row.notRestorable());
            backups.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backups", backups);
        m.put("restorePoints", points.stream().map(WalJson::restorePoint).toList());
        return m;
    }
}
