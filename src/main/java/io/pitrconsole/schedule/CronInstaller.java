package io.pitrconsole.schedule;

import io.pitrconsole.repository.Repository;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps one marked block per archive in a crontab, so installing again replaces it and other
 * lines (the user's own, other archives') stay as they are.
 */
public final class CronInstaller implements JobInstaller {
    private final Repository repository;
    private final CrontabStore store;

    public CronInstaller(Repository repository, CrontabStore store) {
        this.repository = repository;
        this.store = store;
    }

    private String begin() {
        return "# >>> pitr-console " + repository.location() + " >>>";
    }

    private String end() {
        return "# <<< pitr-console " + repository.location() + " <<<";
    }

    @Override
    public String render(List<ScheduledJob> jobs) {
        StringBuilder sb = new StringBuilder(begin()).append('\n');
        sb.append("# written by 'pitr-console schedule install'; 'schedule remove' takes it out again\n");
        for (ScheduledJob j : jobs) {
            sb.append("# job: ").append(j.name()).append('\n');
            sb.append(j.time().toCron()).append(' ');
            sb.append("mkdir -p ").append(cronQuote(j.logFile().getParent().toString())).append(" && ");
            sb.append(String.join(" ", j.command().stream().map(CronInstaller::cronQuote).toList()));
            sb.append(" >> ").append(cronQuote(j.logFile().toString())).append(" 2>&1\n");
        }
        return sb.append(end()).append('\n').toString();
    }

    @Override
    public List<String> install(List<ScheduledJob> jobs) {
        String rest = withoutBlock(store.read());
        String text = (rest.isEmpty() || rest.endsWith("\n") ? rest : rest + "\n") + render(jobs);
        store.write(text);
        return jobs.stream().map(j -> "installed " + j.name() + " (" + j.time() + ") in " + store.describe()).toList();
    }

    @Override
    public List<InstalledJob> installed(ZonedDateTime now) {
        List<InstalledJob> found = new ArrayList<>();
        boolean inside = false;
        String job = null;
        for (String line : store.read().split("\n")) {
            if (line.equals(begin())) {
                inside = true;
            } else if (line.equals(end())) {
                inside = false;
            } else if (inside && line.startsWith("# job: ")) {
                job = line.substring(7).trim();
            } else if (inside && job != null && !line.startsWith("#") && !line.isBlank()) {
                String[] f = line.trim().split("\\s+", 6);
                Optional<JobTime> t = f.length == 6 ? JobTime.parseCron(String.join(" ", f[0], f[1], f[2], f[3], f[4])) : Optional.empty();
                if (t.isPresent()) {
                    found.add(new InstalledJob(job, "cron (" + store.describe() + ")", t.get(), t.get().next(now)));
                }
                job = null;
            }
        }
        return found;
    }

    @Override
    public Optional<String> unavailable() {
        return store.unavailable();
    }

    @Override
    public List<String> remove() {
        String before = store.read();
        String after = withoutBlock(before);
        if (after.equals(before)) {
            return List.of();
        }
        store.write(after);
        return List.of("removed the cron jobs for " + repository.location() + " from " + store.describe());
    }

    private String withoutBlock(String text) {
        StringBuilder sb = new StringBuilder();
        boolean inside = false;
        for (String line : text.split("\n", -1)) {
            if (line.equals(begin())) {
                inside = true;
            } else if (line.equals(end())) {
                inside = false;
            } else if (!inside) {
                sb.append(line).append('\n');
            }
        }
        String s = sb.toString();
        // split(-1) leaves one empty piece after the final newline; do not grow the file each time
        return s.endsWith("\n\n") ? s.substring(0, s.length() - 1) : s.equals("\n") ? "" : s;
    }

    /** Shell-quotes for the command field; '%' is special to cron (it starts stdin) and must be escaped. */
    static String cronQuote(String s) {
        return ("'" + s.replace("'", "'\\''") + "'").replace("%", "\\%");
    }
}
