package io.pitrconsole.cli.restore;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.InterruptGuard;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Restore to a target: a rehearsal in a sandbox (default) or --in-place over a data directory.")
public final class RestoreRunCommand extends Verb {
    @Mixin
    RestoreRequestOptions options;

    @Option(names = "--yes", description = "in place: do not ask for confirmation")
    boolean yes;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    RestoreRunCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        RestoreService service = services().restores();
        // Shown before it runs only when asked to confirm; otherwise planned once, with the archive held
        // (a plan run right away needs no second planning in the pre-checks: on a bucket that is a listing and an index)
        RestorePlan plan = null;
        if (options.inPlace() && !yes) {
            plan = service.plan(options.request(connection()), (d, t, m) -> { }, new Cancellation());
            RestorePlanCommand.print(ctx, plan);
            ctx.out().printf("This stops the server on %s and replaces its data directory (the old one is kept aside). Type yes to go on: ",
                    plan.dataDirectory());
            ctx.out().flush();
            if (!"yes".equals(readLine())) {
                throw new PitrException("restore not started", "answer 'yes', or pass --yes");
            }
        }
        // Ctrl-C or a kill: the restore stops at its next safe point and cleans up (an in-place one puts
        // the old data directory back and restarts its server) before the JVM may exit.
        try (InterruptGuard guard = InterruptGuard.install("restore", 600)) {
            RestoreListener listener = new RestoreListener() {
                @Override
                public void stepStarted(String step) {
                    if (!json) {
                        ctx.err().printf("%s ...%n", step);
                        ctx.err().flush();
                    }
                }

                @Override
                public void stepFinished(String step, double seconds) {
                    if (!json) {
                        ctx.err().printf("%s done (%s)%n", step, Formats.seconds(seconds));
                        ctx.err().flush();
                    }
                }
            };
            RestoreReport report = plan == null ? service.run(options.request(connection()), listener, guard.cancellation())
                    : service.run(plan, listener, guard.cancellation());
            if (json) {
                printJson(report);
            } else {
                ctx.out().print(RestoreReports.text(report));
            }
            ctx.out().flush();
            return report.succeeded() ? 0 : 1;
        }
    }

    private String readLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line.trim();
        } catch (IOException e) {
            return "";
        }
    }
}
