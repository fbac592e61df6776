package io.pitrconsole.schedule;

import io.pitrconsole.repository.Repository;
import java.util.ArrayList;
import java.util.List;

/** Turns the schedule file into the jobs to install: this console's own verbs with absolute paths. */
public final class JobPlanner {
    private JobPlanner() {
    }

    /**
     * The enabled jobs of a schedule.
     *
     * @param connection the profile and server the backup job is pinned to
     */
    public static List<ScheduledJob> jobs(ScheduleConfig config, Repository repository, Launcher launcher, JobConnection connection) {
        List<ScheduledJob> jobs = new ArrayList<>();
        String archive = repository.location().toString();
        if (config.backup().enabled()) {
            List<String> cmd = new ArrayList<>(launcher.argv());
            cmd.addAll(List.of("backup", "create", "--archive", archive));
            if (config.compression() != null && !config.compression().isBlank()) {
                cmd.addAll(List.of("--compress", config.compression()));
            }
            cmd.addAll(connection.args());
            jobs.add(new ScheduledJob("backup", config.backup().jobTime(), cmd, repository.localCache().resolve("logs").resolve("backup.log")));
        }
        if (config.cleanup().enabled()) {
            List<String> cmd = new ArrayList<>(launcher.argv());
            cmd.addAll(List.of("cleanup", "--yes", "--archive", archive));
            jobs.add(new ScheduledJob("cleanup", config.cleanup().jobTime(), cmd, repository.localCache().resolve("logs").resolve("cleanup.log")));
        }
        return jobs;
    }
}
