package io.pitrconsole.cli.restore;

import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.recovery.report.RestoreReport;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = "Undo the last in-place restore: stop the server, put the old data directory back, start it.")
public final class RestoreRollbackCommand extends Verb {
    @Option(names = "--restore", paramLabel = "ID", description = "the restore to undo (default: the newest in-place one)")
    String restoreId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the data directory of an interrupted in-place restore (found by its journal beside it)")
    java.nio.file.Path dataDir;

    RestoreRollbackCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        RestoreReport r = services().restores().rollback(Optional.ofNullable(restoreId), Optional.ofNullable(dataDir));
        r.notes().stream().filter(n -> n.contains("was interrupted")).forEach(n -> ctx.out().println(n));
        r.movedAside().forEach((original, aside) -> ctx.out().printf("put %s back as %s%n", aside, original));
        ctx.out().printf("restore %s rolled back; the server on %s runs again%n", r.id(), r.dataDirectory());
        AbandonedTimelines.load(repository()).list().stream().filter(a -> a.restoreId().equals(r.id()))
                .forEach(a -> ctx.out().printf("timeline %d is recorded as abandoned in the archive: restores follow it only when asked"
                        + " with --timeline %d%n", a.timeline(), a.timeline()));
        return 0;
    }
}
