package io.pitrconsole.cli.backup;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.Tablespace;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show everything recorded about one backup.")
public final class BackupShowCommand extends Verb {
    @Parameters(paramLabel = "ID", description = "backup id, e.g. backup_20261125_021500")
    String id;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    BackupShowCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        BackupRecord r = services().backups().get(id);
        if (json) {
            printJson(r);
            return 0;
        }
        var o = ctx.out();
        o.printf("id                %s%n", r.id());
        o.printf("label             %s%n", r.label());
        o.printf("status            %s%s%n", r.status().label(), r.error() == null ? "" : " (" + r.error() + ")");
        o.printf("started           %s%n", Formats.time(r.startTime()));
        o.printf("stopped           %s%s%n", Formats.time(r.stopTime()),
                "client-clock".equals(r.stopTimeSource()) ? " (this machine's clock; no .backup file was archived)" : "");
        o.printf("duration          %s%n", r.durationSeconds() == null ? "-" : Formats.seconds(r.durationSeconds()));
        o.printf("start LSN         %s%n", r.startLsn() == null ? "-" : r.startLsn());
        o.printf("stop LSN          %s%n", r.stopLsn() == null ? "-" : r.stopLsn());
        o.printf("checkpoint LSN    %s%n", r.checkpointLsn() == null ? "-" : r.checkpointLsn());
        o.printf("timeline          %s%n", r.timeline() == null ? "-" : r.timeline());
        o.printf("PostgreSQL        %s (system identifier %s)%n", r.pgVersion(), r.systemIdentifier());
        o.printf("server            %s:%d%n", r.host(), r.port());
        o.printf("compression       %s%n", r.compression());
        o.printf("size              %s on disk, %s original (%.1fx)%n", ByteSize.of(r.sizeBytes()), ByteSize.of(r.originalSizeBytes()), r.compressionRatio());
        o.printf("files             %s%n", String.join(", ", r.files()));
        for (Tablespace t : r.tablespaces()) {
            o.printf("tablespace        %s at %s%n", t.oid(), t.location());
        }
        o.printf("last verified     %s%s%n", r.lastVerified() == null ? "never" : Formats.time(r.lastVerified()),
                r.verifyDetail() == null ? "" : " - " + r.verifyDetail());
        return 0;
    }
}
