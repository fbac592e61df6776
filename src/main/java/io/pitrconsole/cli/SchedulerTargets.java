package io.pitrconsole.cli;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.schedule.CronInstaller;
import io.pitrconsole.schedule.CrontabFile;
import io.pitrconsole.schedule.SystemdInstaller;
import io.pitrconsole.schedule.UserCrontab;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where jobs go. By default the user's crontab and /etc/systemd/system (with systemctl); a
 * crontab file or units directory, by option or PITR_CRONTAB_FILE / PITR_SYSTEMD_DIR, is written
 * as a plain file instead and systemctl is left alone.
 */
final class SchedulerTargets {
    @Option(names = "--crontab-file", paramLabel = "FILE", description = "edit this file instead of the user's crontab (env PITR_CRONTAB_FILE)")
    Path crontabFile;

    @Option(names = "--units-dir", paramLabel = "DIR", description = "write systemd units here and do not call systemctl (env PITR_SYSTEMD_DIR)")
    Path unitsDir;

    CronInstaller cron(ArchiveLayout layout, Map<String, String> env) {
        Path file = crontabFile != null ? crontabFile : pathFromEnv(env, "PITR_CRONTAB_FILE");
        return new CronInstaller(layout, file != null ? new CrontabFile(file) : new UserCrontab());
    }

    SystemdInstaller systemd(ArchiveLayout layout, Map<String, String> env, boolean forWriting) {
        Path dir = unitsDir != null ? unitsDir : pathFromEnv(env, "PITR_SYSTEMD_DIR");
        if (dir != null) {
            return new SystemdInstaller(layout, dir, false);
        }
        if (forWriting && !OsUser.currentIsRoot()) {
            throw new PitrException("system timers in /etc/systemd/system need root",
                    "run as root, use --cron, or pass --units-dir DIR and enable the units yourself");
        }
        return new SystemdInstaller(layout, Path.of("/etc/systemd/system"), true);
    }

    private static Path pathFromEnv(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }
}
