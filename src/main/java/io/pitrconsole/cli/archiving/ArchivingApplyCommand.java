package io.pitrconsole.cli.archiving;

import io.pitrconsole.archiving.ApplyResult;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", description = "Install the archive_command script and set archiving with ALTER SYSTEM, then reload.")
public final class ArchivingApplyCommand extends Verb {
    @Mixin
    ArchivingOptions options;

    @Option(names = "--restart", description = "restart the server (pg_ctl restart -m fast) when a setting needs it")
    boolean restart;

    @Option(names = "--server-log", paramLabel = "FILE", description = "where the restarted server writes its output (default: in the data directory)")
    Path serverLog;

    ArchivingApplyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        ArchivingService service = services().archiving();
        ApplyResult r = service.apply(service.generate(options.compression(), options.archiveTimeout()), restart,
                Optional.ofNullable(serverLog));
        var o = ctx.out();
        o.println(r.changed().isEmpty() ? "settings already in place" : "changed: " + String.join(", ", r.changed()));
        if (!r.replacedLibrary().isEmpty()) {
            o.println("archive_library was '" + r.replacedLibrary() + "': set to '' so that archive_command archives;"
                    + " WAL no longer goes through that module");
        }
        if (r.restarted()) {
            o.println("server restarted");
        }
        if (!r.pendingRestart().isEmpty()) {
            o.println("RESTART NEEDED: " + String.join(", ", r.pendingRestart())
                    + " take effect only after a server restart; archiving is not active until then.");
            o.println("Restart the server yourself, or run 'archiving apply --restart'; then run 'archiving verify'.");
            return 0;
        }
        o.println("archiving settings are in effect; run 'archiving verify' to prove a segment reaches the archive");
        return 0;
    }
}
