package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.Finding;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.schedule.HealthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "health", description = "Backup and archiving health for monitoring: exit 0 ok, 1 warning, 2 critical.")
public final class HealthCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--no-server", description = "check the archive only; do not read pg_stat_archiver")
    boolean noServer;

    HealthCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        HealthReport r = services().health(!noServer).check();
        if (json) {
            printJson(r);
        } else {
            int width = r.checks().stream().mapToInt(c -> c.check().length()).max().orElse(0);
            for (Finding c : r.checks()) {
                ctx.out().printf("%-8s  %-" + width + "s  %s%n", HealthLevel.of(c.level()).label(), c.check(), c.detail());
                if (!c.hint().isEmpty()) {
                    ctx.out().printf("%-8s  %-" + width + "s  hint: %s%n", "", "", c.hint());
                }
            }
            ctx.out().println("health: " + r.status().label());
        }
        return r.status().exitCode();
    }
}
