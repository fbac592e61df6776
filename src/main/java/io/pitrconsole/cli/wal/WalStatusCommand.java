package io.pitrconsole.cli.wal;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.window.WalStatus;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalGap;
import io.pitrconsole.wal.WalSegmentReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Segments per timeline, newest segment, gaps, damaged segments, size and RPO of the WAL archive.")
public final class WalStatusCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--verify", description = "read every segment again and check every record's CRC, "
            + "not only the records the index uses (reads every byte of the archive)")
    boolean verify;

    WalStatusCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        WalSegmentReader.Checks checks = verify ? WalSegmentReader.Checks.FULL : WalSegmentReader.Checks.INDEX;
        WalStatus s = services().windows().walStatus(checks, ProgressListener.NONE, Cancellation.none());
        Repository repository = services().repository();
        List<LeftoverFile> leftovers = repository.leftovers(Instant.now());
        if (json) {
            Map<String, Object> m = jsonOf(s);
            m.put("leftoverTempFiles", leftovers.stream().map(l -> Map.of("path", repository.location().directory().resolve(l.name()).toString(), "bytes", l.bytes(),
                    "modified", l.modified())).toList());
            printJson(m);
            return exitStatus(s);
        }
        var out = ctx.out();
        out.printf("WAL archive %s: %d segments, %s%n", repository.wal().describe(), s.segmentCount(), ByteSize.of(s.archiveBytes()).human());
        for (WalStatus.TimelineSegments t : s.timelines()) {
            String branch = t.parent().isPresent() ? ", branched from timeline " + t.parent().getAsInt() + " at "
                    + t.branchLsn().map(Object::toString).orElse("?") : "";
            String range = t.first().map(f -> " " + f + " .. " + t.last().orElseThrow()).orElse("");
            String abandoned = t.abandoned().map(a -> ", abandoned " + Formats.preciseTime(a.abandonedAt()) + " by rolling back "
                    + a.restoreId()).orElse("");
            out.printf("timeline %d: %d segments%s%s%s%n", t.timeline(), t.segments(), range, branch, abandoned);
        }
        out.println("newest segment: " + s.newestSegment().map(n -> n + s.newestSegmentTime()
                .map(t -> " (last transaction " + Formats.preciseTime(t) + ")").orElse(" (no transactions)")).orElse("none"));
        out.println("newest transaction: " + s.newestTransaction().map(Formats::preciseTime).orElse("none")
                + s.rpo().map(r -> "  RPO " + Formats.seconds(r.toMillis() / 1000.0)).orElse(""));
        if (s.gaps().isEmpty()) {
            out.println("gaps: none");
        }
        for (WalGap g : s.gaps()) {
            out.printf("gap: timeline %d after %s, %d segment(s) missing%n", g.timeline(), g.after(), g.missing().size());
        }
        if (s.damaged().isEmpty()) {
            out.println("damaged segments: none");
        }
        for (SegmentInfo d : s.damaged()) {
            out.printf("damaged: %s: %s%n", d.file().getFileName(), d.damage().orElse(""));
        }
        s.problems().forEach(p -> out.println("problem: " + p));
        if (!leftovers.isEmpty()) {
            out.printf("leftover temporary files: %d, %s (killed writers left them; 'cleanup' removes them)%n", leftovers.size(),
                    ByteSize.of(leftovers.stream().mapToLong(LeftoverFile::bytes).sum()).human());
        }
        return exitStatus(s);
    }

    /** Damaged segments are what 'health' calls critical, and end with its exit status, 2: a monitor must not read them as fine. */
    private int exitStatus(WalStatus s) {
        if (s.damaged().isEmpty()) {
            return 0;
        }
        ctx.err().printf("error: %d damaged WAL segment%s, first %s%n", s.damaged().size(), s.damaged().size() == 1 ? "" : "s",
                s.damaged().get(0).file().getFileName());
        ctx.err().println("hint: recovery stops at damage: take a new base backup now, so the recovery window restarts after it");
        return HealthLevel.CRITICAL.exitCode();
    }

    private static Map<String, Object> jsonOf(WalStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkedAt", s.checkedAt());
        m.put("segments", s.segmentCount());
        m.put("archiveBytes", s.archiveBytes());
        m.put("timelines", s.timelines().stream().map(t -> {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("timeline", t.timeline());
            tm.put("segments", t.segments());
            tm.put("first", t.first().map(Object::toString).orElse(null));
            tm.put("last", t.last().map(Object::toString).orElse(null));
            tm.put("parent", t.parent().isPresent() ? t.parent().getAsInt() : null);
            tm.put("branchLsn", t.branchLsn().orElse(null));
            tm.put("abandoned", t.abandoned().map(WalJson::abandoned).orElse(null));
            return tm;
        }).toList());
        m.put("newestSegment", s.newestSegment().map(Object::toString).orElse(null));
        m.put("newestSegmentTime", s.newestSegmentTime().orElse(null));
        m.put("newestTransaction", s.newestTransaction().orElse(null));
        m.put("rpoSeconds", s.rpo().map(r -> r.toNanos() / 1e9).orElse(null));
        m.put("gaps", s.gaps().stream().map(WalJson::gap).toList());
        m.put("damaged", s.damaged().stream().map(WalJson::damaged).toList());
        m.put("problems", s.problems());
        return m;
    }
}
