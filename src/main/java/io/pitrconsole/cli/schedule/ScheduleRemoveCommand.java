package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.schedule.ScheduleService;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "remove", description = "Remove the archive's scheduled jobs from cron and systemd.")
public final class ScheduleRemoveCommand extends Verb {
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
        boolean both = !cron && !systemd;
        Set<ScheduleService.Scheduler> from = EnumSet.noneOf(ScheduleService.Scheduler.class);
        if (cron || both) {
            from.add(ScheduleService.Scheduler.CRON);
        }
        if (systemd || both) {
            from.add(ScheduleService.Scheduler.SYSTEMD);
        }
        services().schedule(targets.targets()).remove(from).forEach(ctx.out()::println);
        return 0;
    }
}
