package io.pitrconsole.cli.backup;

import io.pitrconsole.backup.BackupStats;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", description = "Totals and averages over the archive's backups.")
public final class BackupStatsCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    BackupStatsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        BackupStats s = services().backups().stats();
        if (json) {
            printJson(s);
            return 0;
        }
        var o = ctx.out();
        o.printf("backups              %d (%d usable, %d failed or corrupt, %d unreadable)%n", s.count(), s.usable(), s.failed(), s.unreadable());
        o.printf("size on disk         %s (original %s)%n", ByteSize.of(s.totalSizeBytes()), ByteSize.of(s.totalOriginalBytes()));
        o.printf("WAL archive          %s%n", s.walArchiveBytes() < 0 ? "-" : ByteSize.of(s.walArchiveBytes()));
        o.printf("oldest               %s%n", Formats.time(s.oldest()));
        o.printf("newest               %s%n", Formats.time(s.newest()));
        o.printf("average duration     %s%n", Formats.seconds(s.averageDurationSeconds()));
        o.printf("average compression  %.2fx%n", s.averageCompressionRatio());
        return 0;
    }
}
