package io.pitrconsole.cli;

import io.pitrconsole.repository.Repository;
import io.pitrconsole.schedule.CronInstaller;
import io.pitrconsole.schedule.Schedulers;
import io.pitrconsole.schedule.SystemdInstaller;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The --crontab-file and --units-dir options; the choice itself is {@link Schedulers}'. */
final class SchedulerTargets {
    @Option(names = "--crontab-file", paramLabel = "FILE", description = "edit this file instead of the user's crontab (env PITR_CRONTAB_FILE)")
    Path crontabFile;

    @Option(names = "--units-dir", paramLabel = "DIR", description = "write systemd units here and do not call systemctl (env PITR_SYSTEMD_DIR)")
    Path unitsDir;

    CronInstaller cron(Repository repository, Map<String, String> env) {
        return Schedulers.cron(repository, env, crontabFile);
    }

    SystemdInstaller systemd(Repository repository, Map<String, String> env, boolean forWriting) {
        return Schedulers.systemd(repository, env, unitsDir, forWriting);
    }
}
