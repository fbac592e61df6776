package io.pitrconsole.cli.schedule;

import io.pitrconsole.schedule.ScheduleService;
import io.pitrconsole.schedule.Schedulers;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --crontab-file and --units-dir options; the choice itself is {@link Schedulers}'. */
final class SchedulerTargets {
    @Option(names = "--crontab-file", paramLabel = "FILE", description = "edit this file instead of the user's crontab (env PITR_CRONTAB_FILE)")
    Path crontabFile;

    @Option(names = "--units-dir", paramLabel = "DIR", description = "write systemd units here and do not call systemctl (env PITR_SYSTEMD_DIR)")
    Path unitsDir;

    ScheduleService.Targets targets() {
        return new ScheduleService.Targets(crontabFile, unitsDir);
    }
}
