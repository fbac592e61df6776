package io.pitrconsole.schedule;

import io.pitrconsole.repository.Repository;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Installing and removing an archive's scheduled jobs, for 'schedule install|remove|status' and the
 * console's Schedule page alike: which jobs the saved schedule asks for, the arguments each job
 * runs with (the backup pinned to the server it was installed for), and where they go.
 */
public final class ScheduleService {
    /** The scheduler that runs the jobs. */
    public enum Scheduler {
        CRON("cron"), SYSTEMD("systemd");

        private final String label;

        Scheduler(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Explicit places for the jobs, each null for the default: PITR_CRONTAB_FILE / PITR_SYSTEMD_DIR,
     * else the user's crontab and /etc/systemd/system.
     */
    public record Targets(Path crontabFile, Path unitsDir) {
        public static final Targets DEFAULT = new Targets(null, null);
    }

    private final Repository repository;
    private final Map<String, String> env;
    private final Targets targets;
    private final Supplier<JobConnection> pinnedTo;

    /** @param pinnedTo the profile and server the backup job is for; asked for only when jobs are planned */
    public ScheduleService(Repository repository, Map<String, String> env, Targets targets, Supplier<JobConnection> pinnedTo) {
        this.repository = repository;
        this.env = Map.copyOf(env);
        this.targets = targets;
        this.pinnedTo = pinnedTo;
    }

    /** The jobs the schedule asks for, as they would be installed, each with its full command line. */
    public List<ScheduledJob> jobs(ScheduleConfig config, Launcher launcher) {
        return JobPlanner.jobs(config, repository, launcher, pinnedTo.get());
    }

    /** What installing would write into that scheduler, from the saved schedule (or the defaults); changes nothing. */
    public String preview(Scheduler kind, Launcher launcher) {
        List<ScheduledJob> jobs = jobs(new ScheduleStore(repository).load(), launcher);
        return installer(kind, false).render(jobs);
    }

    /**
     * Installs the saved schedule's jobs, replacing this archive's earlier ones there; the archive
     * must be writable, and gets the default schedule file when it has none. Returns what was done.
     */
    public List<String> install(Scheduler kind, Launcher launcher) {
        repository.requireWritable();
        List<ScheduledJob> jobs = jobs(new ScheduleStore(repository).loadOrCreate(), launcher);
        return installer(kind, true).install(jobs);
    }

    /** Removes this archive's jobs from those schedulers; what was removed, or one line saying nothing was installed. */
    public List<String> remove(Set<Scheduler> from) {
        List<String> done = new ArrayList<>();
        for (Scheduler kind : Scheduler.values()) {
            if (from.contains(kind)) {
                done.addAll(installer(kind, false).remove());
            }
        }
        if (done.isEmpty()) {
            String which = from.size() == 1 ? from.iterator().next().label() : "scheduled";
            return List.of("no " + which + " jobs for " + repository.location() + " were installed");
        }
        return done;
    }

    /** The archive's jobs installed in cron and systemd, with their next run after now. */
    public List<InstalledJob> installed(ZonedDateTime now) {
        List<InstalledJob> jobs = new ArrayList<>(installer(Scheduler.CRON, false).installed(now));
        jobs.addAll(installer(Scheduler.SYSTEMD, false).installed(now));
        return jobs;
    }

    /** Why cron or systemd cannot be used here, one line each; empty when both can. */
    public List<String> unavailable() {
        List<String> out = new ArrayList<>();
        installer(Scheduler.CRON, false).unavailable().ifPresent(out::add);
        installer(Scheduler.SYSTEMD, false).unavailable().ifPresent(out::add);
        return out;
    }

    private JobInstaller installer(Scheduler kind, boolean forWriting) {
        return kind == Scheduler.CRON ? Schedulers.cron(repository, env, targets.crontabFile())
                : Schedulers.systemd(repository, env, targets.unitsDir(), forWriting);
    }
}
