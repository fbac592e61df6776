package io.pitrconsole.cli.demo;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.InterruptGuard;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.practice.HistoryProgress;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeListener;
import io.pitrconsole.practice.PracticeState;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'demo' verb group; on its own it creates the practice cluster. */
@Command(name = "demo", description = "Create a local practice cluster with a few minutes of history (backups, restore points), "
        + "or start, stop, show or remove it.")
public final class DemoCommand extends PracticeVerb {
    /** How often a line of history progress is printed between its steps. */
    private static final long PROGRESS_EVERY_MILLIS = 15_000;

    @Option(names = "--history-seconds", paramLabel = "N", defaultValue = "180",
            description = "how long to write history: orders trickling in, backups and restore points (default: ${DEFAULT-VALUE})")
    int historySeconds;

    DemoCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        if (historySeconds < 10) {
            throw new PitrException("--history-seconds must be at least 10, not " + historySeconds,
                    "the history needs time for three backups and two restore points; try 60 or more");
        }
        PracticeCluster practice = practice();
        ctx.err().println("creating a practice cluster in " + practice.layout().base() + " with " + historySeconds
                + " s of history (Ctrl-C before the first restorable range removes it; after it, stops the history and keeps"
                + " what was written)");
        ctx.err().flush();
        long started = System.nanoTime();
        try (InterruptGuard guard = InterruptGuard.install("demo", 60)) {
            PracticeState s = practice.create(Duration.ofSeconds(historySeconds), new PracticeListener() {
                private long lastShown;

                @Override
                public void stepDone(String step, Duration took) {
                    line(String.format("%6.2f s  %s", took.toNanos() / 1e9, step));
                }

                @Override
                public void firstRange(PracticeState state) {
                    line(String.format("first restorable range %.1f s after the start: the profile '%s' can be used now;"
                            + " the rest of the history follows", (System.nanoTime() - started) / 1e9, PracticeCluster.PROFILE));
                    lastShown = System.nanoTime();
                }

                @Override
                public void history(HistoryProgress p) {
                    // one line every few seconds, not one per order
                    if (System.nanoTime() - lastShown >= PROGRESS_EVERY_MILLIS * 1_000_000) {
                        line("          " + p.describe());
                        lastShown = System.nanoTime();
                    }
                }
            }, guard.cancellation());
            DemoStatusCommand.print(ctx.out(), practice.layout(), s, true);
            if (s.historyPending()) {
                ctx.out().println("The history was stopped before it was complete; the cluster keeps what was written.");
            }
            ctx.out().println("It is the default profile '" + PracticeCluster.PROFILE + "' unless you had one: try");
            ctx.out().println("  pitr-console backup list --profile " + PracticeCluster.PROFILE);
            ctx.out().println("  pitr-console windows --profile " + PracticeCluster.PROFILE);
            return 0;
        }
    }

    private void line(String text) {
        ctx.err().println(text);
        ctx.err().flush();
    }
}
