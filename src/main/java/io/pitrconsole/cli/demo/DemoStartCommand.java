package io.pitrconsole.cli.demo;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.practice.PracticeCluster;
import picocli.CommandLine.Command;

@Command(name = "start", description = "Start the practice cluster's server.")
public final class DemoStartCommand extends PracticeVerb {
    DemoStartCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        PracticeCluster practice = practice();
        ctx.out().println("practice cluster running on port " + practice.start().port());
        return 0;
    }
}
