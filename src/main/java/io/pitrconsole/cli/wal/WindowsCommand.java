package io.pitrconsole.cli.wal;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.target.UnrestorableBackup;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.WalGap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "windows", description = "Show the recovery windows: every moment each backup can restore to, and the WAL gaps.")
public final class WindowsCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    WindowsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        RecoveryWindows w = services().windows().windows(ProgressListener.NONE, Cancellation.none());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("windows", w.windows().stream().map(x -> WalJson.window(x, w)).toList());
            m.put("merged", w.merged().stream().map(x -> {
                Map<String, Object> j = WalJson.window(x, w);
                j.put("backups", w.backupsOf(x));
                return j;
            }).toList());
            m.put("abandonedTimelines", w.abandoned().list().stream().map(WalJson::abandoned).toList());
            m.put("gaps", w.gaps().stream().map(WalJson::gap).toList());
            m.put("restorePoints", w.index().restorePoints().stream().map(WalJson::restorePoint).toList());
            m.put("problems", w.index().problems());
            m.put("unrestorable", w.unrestorable().stream().map(u -> Map.of("backup", u.backupId(), "reason", u.reason())).toList());
            printJson(m);
            return 0;
        }
        var out = ctx.out();
        if (w.windows().isEmpty()) {
            out.println("no recovery windows: " + (w.unrestorable().isEmpty() ? "no complete backups in " + repository().location()
                    : "no backup has the WAL it needs"));
        } else {
            printWindows(w.windows(), w, false);
            out.println();
            out.println("Restorable (all backups, per timeline):");
            printWindows(w.merged(), w, true);
        }
        if (!w.abandoned().isEmpty()) {
            out.println();
            out.println("Abandoned timelines (a restore follows one only when given --timeline):");
            w.abandoned().list().forEach(a -> out.printf("  timeline %d%s: abandoned %s by rolling back %s (backup %s, target %s)%s%n",
                    a.timeline(), a.parent() == null ? "" : " (from timeline " + a.parent() + (a.branchLsn() == null ? "" : " at " + a.branchLsn()) + ")",
                    Formats.preciseTime(a.abandonedAt()), a.restoreId(), a.backupId(), a.target(),
                    a.continuedOn() == null ? "" : "; the cluster went on on timeline " + a.continuedOn()));
        }
        w.index().problems().forEach(p -> out.println("warning: " + p));
        for (UnrestorableBackup u : w.unrestorable()) {
            out.println("not restorable: " + u.backupId() + ": " + u.reason());
        }
        printGaps(w.gaps());
        List<RestorePoint> points = w.index().restorePoints();
        if (!points.isEmpty()) {
            out.println();
            out.println("Restore points:");
            points.forEach(p -> out.printf("  %-30s %s  %s  timeline %d%n", p.name(), Formats.preciseTime(p.time()), p.lsn(), p.timeline()));
        }
        return 0;
    }

    private void printWindows(List<RecoveryWindow> windows, RecoveryWindows all, boolean merged) {
        int width = Math.max(24, windows.stream().mapToInt(r -> (merged ? all.label(r) : r.backupId()).length()).max().orElse(0));
        String fmt = "%-" + width + "s %3s  %-32s  %-32s  %s%n";
        ctx.out().printf(fmt, merged ? "BACKUPS" : "BACKUP", "TL", "FROM", "TO", "ENDS");
        for (RecoveryWindow r : windows) {
            String ends = r.endedByGap().map(g -> "at a gap: " + g.missing().size() + " segment(s) missing after " + g.after())
                    .orElse("at the newest archived WAL") + (all.isAbandoned(r.timeline()) ? " (timeline abandoned)" : "");
            ctx.out().printf(fmt, merged ? all.label(r) : r.backupId(), r.timeline(), Formats.preciseTime(r.from()), Formats.preciseTime(r.to()), ends);
        }
    }

    private void printGaps(List<WalGap> gaps) {
        if (gaps.isEmpty()) {
            return;
        }
        ctx.out().println();
        ctx.out().println("WAL gaps:");
        for (WalGap g : gaps) {
            ctx.out().printf("  timeline %d: after %s missing %s%s%n", g.timeline(), g.after(), g.missing().get(0),
                    g.missing().size() > 1 ? " .. " + g.missing().get(g.missing().size() - 1) + " (" + g.missing().size() + ")" : "");
        }
    }
}
