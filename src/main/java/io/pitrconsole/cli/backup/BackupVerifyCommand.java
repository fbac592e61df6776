package io.pitrconsole.cli.backup;

import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.ProgressPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = "Check backups against their manifests (every file's size and checksum, and the WAL they need).")
public final class BackupVerifyCommand extends Verb {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "backup id")
    String id;

    @Option(names = "--all", description = "verify every finished backup")
    boolean all;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    BackupVerifyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        if ((id == null) == !all) {
            throw new PitrException("name one backup or give --all", "e.g. 'backup verify backup_20261125_021500' or 'backup verify --all'");
        }
        BackupService service = services().backups();
        ProgressPrinter progress = new ProgressPrinter(ctx.err(), System.console() != null && !json);
        List<VerifyReport> reports = all ? service.verifyAll(progress, new Cancellation())
                : List.of(service.verify(id, progress, new Cancellation()));
        progress.done();
        boolean ok = reports.stream().allMatch(VerifyReport::ok);
        if (json) {
            printJson(Map.of("ok", ok, "reports", reports));
        } else {
            if (reports.isEmpty()) {
                ctx.out().println("no finished backups to verify in " + repository().location());
            }
            for (VerifyReport r : reports) {
                ctx.out().printf("%s: %s - %d files, %s checked in %s (%.0f MB/s)%n", r.backupId(), r.ok() ? "OK" : "CORRUPT",
                        r.filesChecked(), ByteSize.of(r.bytesChecked()), Formats.seconds(r.seconds()), r.throughputMBps());
                for (VerifyProblem p : r.problems()) {
                    ctx.out().println("  " + p);
                }
            }
        }
        if (!ok) {
            ctx.err().println("error: verification failed");
            ctx.err().println("hint: the files named above do not match the backup's manifest; do not restore from a corrupt backup - take a new one");
            return 1;
        }
        return 0;
    }
}
