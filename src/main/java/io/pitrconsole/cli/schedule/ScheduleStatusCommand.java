package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.schedule.InstalledJob;
import io.pitrconsole.schedule.ScheduleConfig;
import io.pitrconsole.schedule.ScheduleService;
import io.pitrconsole.session.ClusterServices;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show the schedule, which jobs are installed and when each runs next.")
public final class ScheduleStatusCommand extends Verb {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mmxxx");

    @Mixin
    SchedulerTargets targets;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    ScheduleStatusCommand(CliContext ctx) {
        super(ctx);
    }

    /** The schedule file's content and the jobs found installed. */
    record Status(ScheduleConfig config, List<InstalledJob> installed, List<String> unavailable) {
    }

    @Override
    protected int run() {
        ClusterServices services = services();
        ScheduleConfig config = services.scheduleSettings().load();
        ScheduleService schedule = services.schedule(targets.targets());
        List<InstalledJob> jobs = schedule.installed(ZonedDateTime.now());
        List<String> unavailable = schedule.unavailable();
        if (json) {
            printJson(new Status(config, jobs, unavailable));
            return 0;
        }
        var o = ctx.out();
        o.printf("schedule    backup %s, cleanup %s%n", config.backup().enabled() ? config.backup().jobTime() : "off",
                config.cleanup().enabled() ? config.cleanup().jobTime() : "off");
        o.printf("retention   daily %d, weekly %d, monthly %d, size cap %.0f GB; stale after %.0f h%n", config.retention().daily(),
                config.retention().weekly(), config.retention().monthly(), config.maxTotalSizeGb(), config.alertAfterHours());
        if (jobs.isEmpty()) {
            o.println("installed   nothing ('schedule install --cron' or '--systemd' installs the jobs)");
        }
        for (InstalledJob j : jobs) {
            o.printf("installed   %-8s %-22s next %s  in %s%n", j.name(), j.time(), WHEN.format(j.nextRun()), j.where());
        }
        unavailable.forEach(u -> o.printf("not installed (%s)%n", u));
        return 0;
    }
}
