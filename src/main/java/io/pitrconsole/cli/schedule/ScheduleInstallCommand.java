package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.schedule.Launcher;
import io.pitrconsole.schedule.ScheduleService;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "install", description = "Install the archive's backup and cleanup jobs (from backup_schedule.json) into cron or systemd.")
public final class ScheduleInstallCommand extends Verb {
    static final class Kind {
        @Option(names = "--cron", required = true, description = "crontab lines") boolean cron;
        @Option(names = "--systemd", required = true, description = "systemd service and timer units") boolean systemd;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    @Option(names = "--print", description = "print what would be installed; change nothing")
    boolean print;

    @Option(names = "--launcher", paramLabel = "PATH", description = "absolute path of the pitr-console launcher the jobs run (default: the launcher that started this, else this java and jar)")
    Path launcher;

    @Mixin
    SchedulerTargets targets;

    ScheduleInstallCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        ScheduleService schedule = services().schedule(targets.targets());
        ScheduleService.Scheduler scheduler = kind.cron ? ScheduleService.Scheduler.CRON : ScheduleService.Scheduler.SYSTEMD;
        Launcher program = launcher == null ? Launcher.current() : Launcher.of(launcher);
        if (print) {
            ctx.out().print(schedule.preview(scheduler, program));
            return 0;
        }
        schedule.install(scheduler, program).forEach(ctx.out()::println);
        return 0;
    }
}
