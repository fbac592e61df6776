package io.pitrconsole.cli.restore;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.recovery.report.RestoreReport;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "history", description = "List the restores of this archive, newest first.")
public final class RestoreHistoryCommand extends Verb {
    @Option(names = "--json", description = "print the reports as JSON")
    boolean json;

    RestoreHistoryCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        List<RestoreReport> reports = services().restores().history();
        if (json) {
            printJson(reports);
            return 0;
        }
        if (reports.isEmpty()) {
            ctx.out().println("no restores yet");
        }
        for (RestoreReport r : reports) {
            ctx.out().printf("%-28s %-11s %-9s %-25s %s  RTO %s%n", r.id(), r.status(), r.mode().label(), Formats.time(r.startedAt()),
                    r.target(), r.rtoSeconds() == null ? "-" : Formats.seconds(r.rtoSeconds()));
        }
        return 0;
    }
}
