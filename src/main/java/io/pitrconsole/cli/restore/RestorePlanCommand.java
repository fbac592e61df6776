package io.pitrconsole.cli.restore;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.ProgressPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.recovery.plan.RestorePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", description = "Check a target and show what a restore would do: backup, WAL, settings, destination, estimate.")
public final class RestorePlanCommand extends Verb {
    @Mixin
    RestoreRequestOptions options;

    @Option(names = "--json", description = "print the plan as JSON")
    boolean json;

    RestorePlanCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        RestorePlan plan = services().restores().plan(options.request(connection()),
                new ProgressPrinter(ctx.err(), System.console() != null && !json), new Cancellation());
        if (json) {
            printJson(plan);
        } else {
            print(ctx, plan);
        }
        return 0;
    }

    static void print(CliContext ctx, RestorePlan p) {
        var out = ctx.out();
        out.printf("restore plan (%s)%n", p.mode().label());
        out.printf("  target       %s%n", p.target().describe());
        out.printf("  backup       %s (%s)%n", p.backupId(), ByteSize.of(p.backupBytes()).human());
        out.printf("  WAL          %d file(s), %s%s%n", p.walSegments().size(), ByteSize.of(p.walBytes()).human(),
                p.walSegments().isEmpty() ? "" : ": " + p.walSegments().get(0) + " .. " + p.walSegments().get(p.walSegments().size() - 1));
        out.printf("  destination  %s%s%n", p.dataDirectory(), p.port() == null ? "" : " (port " + p.port() + ")");
        p.tablespaces().forEach((oid, dir) -> out.printf("  tablespace   %s -> %s%n", oid, dir));
        out.printf("  estimate     %s (%s)%n", Formats.seconds(p.estimatedSeconds()), p.estimateBasis());
        out.println("  settings (postgresql.auto.conf, plus recovery.signal):");
        p.settings().forEach((k, v) -> out.printf("    %s = '%s'%n", k, v.replace("'", "''")));
        p.checks().forEach(c -> out.printf("  ok           %s%n", c));
        p.notes().forEach(n -> out.printf("  note         %s%n", n));
        p.warnings().forEach(w -> out.printf("  warning      %s%n", w));
    }
}
