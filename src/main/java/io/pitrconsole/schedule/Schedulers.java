package io.pitrconsole.schedule;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.repository.Repository;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an archive's jobs go, for the CLI and the console alike. By default the user's crontab and
 * /etc/systemd/system (with systemctl); a crontab file or units directory, given explicitly or by
 * PITR_CRONTAB_FILE / PITR_SYSTEMD_DIR, is written as a plain file and systemctl is left alone.
 */
public final class Schedulers {
    public static final String CRONTAB_FILE_ENV = "PITR_CRONTAB_FILE";
    public static final String SYSTEMD_DIR_ENV = "PITR_SYSTEMD_DIR";

    private Schedulers() {
    }

    /** The cron installer: the given crontab file, else PITR_CRONTAB_FILE, else the user's crontab. */
    public static CronInstaller cron(Repository repository, Map<String, String> env, Path crontabFile) {
        Path file = crontabFile != null ? crontabFile : pathFromEnv(env, CRONTAB_FILE_ENV);
        return new CronInstaller(repository, file != null ? new CrontabFile(file) : new UserCrontab(env.getOrDefault("PATH", System.getenv("PATH"))));
    }

    /**
     * The systemd installer: the given units directory, else PITR_SYSTEMD_DIR, else
     * /etc/systemd/system with systemctl, which needs root when writing.
     */
    public static SystemdInstaller systemd(Repository repository, Map<String, String> env, Path unitsDir, boolean forWriting) {
        Path dir = unitsDir != null ? unitsDir : pathFromEnv(env, SYSTEMD_DIR_ENV);
        if (dir != null) {
            return new SystemdInstaller(repository, dir, false);
        }
        if (forWriting && !OsUser.currentIsRoot()) {
            throw new PitrException("system timers in /etc/systemd/system need root",
                    Hint.of("run as root, use cron, or set PITR_SYSTEMD_DIR (--units-dir) and enable the units yourself",
                            "start the console as root, choose cron (crontab) as the Scheduler, or set PITR_SYSTEMD_DIR before starting"
                                    + " the console and enable the units yourself"));
        }
        return new SystemdInstaller(repository, Path.of("/etc/systemd/system"), true);
    }

    private static Path pathFromEnv(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }
}
