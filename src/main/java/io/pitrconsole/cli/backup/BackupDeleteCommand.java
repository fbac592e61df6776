package io.pitrconsole.cli.backup;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.PitrException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete one backup (asks first unless --yes).")
public final class BackupDeleteCommand extends Verb {
    @Parameters(paramLabel = "ID", description = "backup id")
    String id;

    @Option(names = "--yes", description = "do not ask")
    boolean yes;

    BackupDeleteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        BackupService service = services().backups();
        String what = id;
        try {
            BackupRecord r = service.get(id);
            what = id + " (" + r.status().label() + ", " + ByteSize.of(r.sizeBytes()) + ", started " + Formats.time(r.startTime()) + ")";
        } catch (PitrException unreadable) {
            // a damaged backup.json must still be deletable; service.delete checks the id exists
        }
        if (!yes && !confirm("Delete backup " + what + " for good? Type 'yes': ")) {
            ctx.err().println("not deleted");
            return 1;
        }
        service.delete(id);
        ctx.out().println("deleted " + id);
        return 0;
    }
}
