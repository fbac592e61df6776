package io.pitrconsole.cli.archiving;

import io.pitrconsole.archiving.ArchiverStats;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", description = "pg_stat_archiver plus the archive's size, segment rate and newest segment age.")
public final class ArchivingStatsCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    ArchivingStatsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        ArchiverStats s = services().archiving().stats();
        if (json) {
            printJson(s);
            return 0;
        }
        var o = ctx.out();
        o.printf("archived             %d (last %s at %s)%n", s.archivedCount(), dash(s.lastArchivedWal()), Formats.time(s.lastArchivedTime()));
        o.printf("failed               %d (last %s at %s)%s%n", s.failedCount(), dash(s.lastFailedWal()), Formats.time(s.lastFailedTime()),
                s.failing() ? "  FAILING NOW" : "");
        o.printf("counters since       %s%n", Formats.time(s.statsReset()));
        o.printf("archive              %s in %d segments%n", ByteSize.of(s.archiveBytes()), s.segmentCount());
        o.printf("rate                 %d in the last hour, %.1f/h over 24 h%n", s.segmentsLastHour(), s.segmentsPerHour());
        o.printf("newest segment       %s (%s old)%n", dash(s.newestSegment()),
                s.newestSegmentAgeSeconds() == null ? "-" : Formats.seconds(s.newestSegmentAgeSeconds()));
        return 0;
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
