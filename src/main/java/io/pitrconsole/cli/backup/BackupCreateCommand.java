package io.pitrconsole.cli.backup;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.backup.BackupOutcome;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.InterruptGuard;
import io.pitrconsole.cli.ProgressPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Take a base backup with pg_basebackup (tar, manifest, streamed WAL) into the archive.")
public final class BackupCreateCommand extends Verb {
    @Option(names = "--compress", paramLabel = "METHOD", defaultValue = "zstd", description = "zstd (default), lz4, gzip or none")
    String compress;

    @Option(names = "--label", paramLabel = "LABEL", description = "backup label (default: the backup id)")
    String label;

    @Option(names = "--checkpoint", paramLabel = "fast|spread", defaultValue = "fast",
            description = "fast (default) starts at once; spread spares a busy server's disks")
    String checkpoint;

    @Option(names = "--max-rate", paramLabel = "RATE", description = "limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)")
    String maxRate;

    @Option(names = "--history-wait", paramLabel = "SECONDS", defaultValue = "15",
            description = "how long to wait for the server to archive the backup's .backup file (default 15)")
    int historyWaitSeconds;

    @Option(names = "--type", paramLabel = "full|diff|incr", description = "for a pgbackrest:// archive: the pgBackRest backup type (default: incr)")
    String type;

    @Option(names = "--json", description = "print the new backup's record as JSON")
    boolean json;

    BackupCreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        if (!checkpoint.equals("fast") && !checkpoint.equals("spread")) {
            throw new io.pitrconsole.core.PitrException("--checkpoint must be fast or spread, not '" + checkpoint + "'", "use --checkpoint fast or --checkpoint spread");
        }
        BackupService service = services().backups();
        BackupRequest request = BackupRequest.defaults(connection())
                .withCompression(Compression.parse(compress))
                .withLabel(label)
                .withFastCheckpoint(checkpoint.equals("fast"))
                .withMaxRate(maxRate)
                .withHistoryWait(Duration.ofSeconds(historyWaitSeconds));
        // Ctrl-C or a kill: stop pg_basebackup and let the service remove partial files before the JVM exits.
        try (InterruptGuard guard = InterruptGuard.install("backup", 60)) {
            Cancellation cancellation = guard.cancellation();
            ProgressPrinter progress = new ProgressPrinter(ctx.err(), System.console() != null && !json);
            BackupOutcome outcome = service.create(request, java.util.Optional.ofNullable(type), progress, cancellation);
            progress.done();
            outcome.notices().forEach(n -> ctx.err().println("notice: " + n));
            BackupRecord r = outcome.backup();
            if (json) {
                printJson(r);
            } else {
                ctx.out().printf("backup %s complete%n", r.id());
                ctx.out().printf("  size       %s on disk, %s original (%s, %.1fx)%n", ByteSize.of(r.sizeBytes()),
                        ByteSize.of(r.originalSizeBytes()), r.compression() == null ? r.label() : r.compression(), r.compressionRatio());
                ctx.out().printf("  WAL        %s .. %s on timeline %d%n", r.startLsn(), r.stopLsn(), r.timeline());
                ctx.out().printf("  time       %s .. %s (%s)%n", Formats.time(r.startTime()), Formats.time(r.stopTime()),
                        Formats.seconds(r.durationSeconds()));
                if ("client-clock".equals(r.stopTimeSource())) {
                    ctx.out().println("  warning    the archive has no .backup file for it; the stop time is this machine's clock");
                }
            }
            return 0;
        }
    }
}
