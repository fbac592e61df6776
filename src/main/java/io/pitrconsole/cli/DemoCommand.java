package io.pitrconsole.cli;

import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeState;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'demo' verb group; on its own it creates the practice cluster. */
@Command(name = "demo", description = "Create a local practice cluster with a few minutes of history (backups, restore points), "
        + "or start, stop, show or remove it.")
final class DemoCommand extends PracticeVerb {
    @Option(names = "--history-seconds", paramLabel = "N", defaultValue = "180",
            description = "how long to write history: orders trickling in, backups and restore points (default: ${DEFAULT-VALUE})")
    int historySeconds;

    DemoCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        if (historySeconds < 10) {
            throw new io.pitrconsole.core.PitrException("--history-seconds must be at least 10, not " + historySeconds,
                    "the history needs time for three backups and two restore points; try 60 or more");
        }
        PracticeCluster practice = practice();
        ctx.err().println("creating a practice cluster in " + practice.layout().base() + " with " + historySeconds
                + " s of history (Ctrl-C cancels and removes it)");
        ctx.err().flush();
        try (InterruptGuard guard = InterruptGuard.install("demo", 60)) {
            java.util.Set<String> shown = new java.util.HashSet<>();
            PracticeState s = practice.create(Duration.ofSeconds(historySeconds), (done, total, what) -> {
                // one line per step; the trickle of orders is one step, not one line a second
                if (!what.startsWith("orders") || shown.add(what)) {
                    ctx.err().printf("%5.1f s  %s%n", done / 1000.0, what);
                    ctx.err().flush();
                }
            }, guard.cancellation());
            DemoStatusCommand.print(ctx.out(), practice.layout(), s, true);
            ctx.out().println("It is the default profile '" + PracticeCluster.PROFILE + "' unless you had one: try");
            ctx.out().println("  pitr-console backup list --profile " + PracticeCluster.PROFILE);
            ctx.out().println("  pitr-console windows --profile " + PracticeCluster.PROFILE);
            return 0;
        }
    }
}
