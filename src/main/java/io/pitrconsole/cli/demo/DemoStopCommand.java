package io.pitrconsole.cli.demo;

import io.pitrconsole.cli.CliContext;
import picocli.CommandLine.Command;

@Command(name = "stop", description = "Stop the practice cluster's server (its data and archive stay).")
public final class DemoStopCommand extends PracticeVerb {
    DemoStopCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        practice().stop();
        ctx.out().println("practice cluster stopped");
        return 0;
    }
}
