package io.pitrconsole.cli;

import io.pitrconsole.repository.Repository;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "remove", description = "Remove the archive's scheduled jobs from cron and systemd.")
final class ScheduleRemoveCommand extends Verb {
    @Option(names = "--cron", description = "only from cron")
    boolean cron;

    @Option(names = "--systemd", description = "only from systemd")
    boolean systemd;

    @Mixin
    SchedulerTargets targets;

    ScheduleRemoveCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        Repository repository = repository();
        boolean both = !cron && !systemd;
        List<String> done = new ArrayList<>();
        if (cron || both) {
            done.addAll(targets.cron(repository, ctx.env()).remove());
        }
        if (systemd || both) {
            done.addAll(targets.systemd(repository, ctx.env(), false).remove());
        }
        if (done.isEmpty()) {
            ctx.out().println("no scheduled jobs for " + repository.location() + " were installed");
        }
        done.forEach(ctx.out()::println);
        return 0;
    }
}
