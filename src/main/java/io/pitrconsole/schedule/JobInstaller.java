package io.pitrconsole.schedule;

import java.time.ZonedDateTime;
import java.util.List;

/** Puts an archive's jobs into one scheduler (cron or systemd), shows and removes them. */
public interface JobInstaller {
    /** What would be written, without writing it. */
    String render(List<ScheduledJob> jobs);

    /** Installs the jobs, replacing any this archive had before; returns what was done, for the user. */
    List<String> install(List<ScheduledJob> jobs);

    /** The archive's jobs found installed, with their next run after now. */
    List<InstalledJob> installed(ZonedDateTime now);

    /** Removes the archive's jobs; returns what was removed. */
    List<String> remove();

    /** Why this scheduler cannot be used on this machine (say, cron is not installed), if it cannot. */
    default java.util.Optional<String> unavailable() {
        return java.util.Optional.empty();
    }
}
