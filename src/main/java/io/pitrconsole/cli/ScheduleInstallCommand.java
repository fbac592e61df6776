package io.pitrconsole.cli;

import io.pitrconsole.repository.Repository;
import io.pitrconsole.config.Profile;
import io.pitrconsole.schedule.JobConnection;
import io.pitrconsole.schedule.JobInstaller;
import io.pitrconsole.schedule.JobPlanner;
import io.pitrconsole.schedule.Launcher;
import io.pitrconsole.schedule.ScheduleConfig;
import io.pitrconsole.schedule.ScheduleStore;
import io.pitrconsole.schedule.ScheduledJob;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "install", description = "Install the archive's backup and cleanup jobs (from backup_schedule.json) into cron or systemd.")
final class ScheduleInstallCommand extends Verb {
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
        Repository repository = repository();
        ScheduleStore store = new ScheduleStore(repository);
        ScheduleConfig config = print ? store.load() : store.loadOrCreate();
        List<ScheduledJob> jobs = JobPlanner.jobs(config, repository, launcher == null ? Launcher.current() : Launcher.of(launcher),
                JobConnection.of(profile().map(Profile::name), connection(), pg()));
        JobInstaller installer = kind.cron ? targets.cron(repository, ctx.env()) : targets.systemd(repository, ctx.env(), !print);
        if (print) {
            ctx.out().print(installer.render(jobs));
            return 0;
        }
        repository.requireWritable();
        installer.install(jobs).forEach(ctx.out()::println);
        return 0;
    }
}
