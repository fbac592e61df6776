package io.pitrconsole.cli.demo;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.practice.PracticeCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "remove", description = "Stop the practice cluster and delete its data, archive and profile (asks unless --yes).")
public final class DemoRemoveCommand extends PracticeVerb {
    @Option(names = "--yes", description = "do not ask")
    boolean yes;

    DemoRemoveCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        PracticeCluster practice = practice();
        if (!yes && !confirm("Remove the practice cluster in " + practice.layout().base() + " with its backups? Type 'yes': ")) {
            ctx.err().println("not removed");
            return 1;
        }
        practice.remove();
        ctx.out().println("practice cluster removed from " + practice.layout().base());
        return 0;
    }
}
