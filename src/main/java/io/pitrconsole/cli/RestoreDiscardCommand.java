package io.pitrconsole.cli;

import io.pitrconsole.recovery.RestoreService;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "discard", description = "Stop and delete a rehearsal sandbox kept with --keep.")
final class RestoreDiscardCommand extends Verb {
    @Parameters(paramLabel = "DIR", description = "the sandbox directory (or its data directory)")
    Path dir;

    RestoreDiscardCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        Path root = new RestoreService(layout(), pg()).discard(dir);
        ctx.out().printf("removed rehearsal sandbox %s%n", root);
        return 0;
    }
}
