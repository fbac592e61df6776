package io.pitrconsole.cli.restore;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.recovery.RestoreService;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "discard", description = "Stop and delete a rehearsal sandbox kept with --keep; without DIR, those of rehearsals whose process was killed.")
public final class RestoreDiscardCommand extends Verb {
    @Parameters(paramLabel = "DIR", arity = "0..1", description = "the sandbox directory (or its data directory)")
    Path dir;

    RestoreDiscardCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        RestoreService service = services().restores();
        if (dir == null) {
            java.util.List<String> removed = service.discardInterrupted();
            removed.forEach(ctx.out()::println);
            if (removed.isEmpty()) {
                ctx.out().println("no interrupted rehearsal left a sandbox behind");
            }
            return 0;
        }
        Path root = service.discard(dir);
        ctx.out().printf("removed rehearsal sandbox %s%n", root);
        return 0;
    }
}
