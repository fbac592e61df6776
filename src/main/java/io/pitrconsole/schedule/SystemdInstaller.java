package io.pitrconsole.schedule;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One oneshot service and one timer per job, named after the job and a hash of the archive path
 * so several archives can be scheduled side by side. systemctl is called only when asked to (the
 * real unit directory); with another directory the units are just written.
 */
public final class SystemdInstaller implements JobInstaller {
    private static final Pattern ON_CALENDAR = Pattern.compile("(?m)^OnCalendar=(.+)$");

    private final Repository repository;
    private final Path unitsDir;
    private final boolean callSystemctl;

    public SystemdInstaller(Repository repository, Path unitsDir, boolean callSystemctl) {
        this.repository = repository;
        this.unitsDir = unitsDir;
        this.callSystemctl = callSystemctl;
    }

    String unitBase(String job) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(repository.location().toString().getBytes(StandardCharsets.UTF_8));
            return "pitr-console-" + job + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String service(ScheduledJob j) {
        return "[Unit]\nDescription=PITR Console " + j.name() + " of " + repository.location() + "\n"
                + "After=network-online.target\nWants=network-online.target\n\n"
                + "[Service]\nType=oneshot\n"
                + "ExecStartPre=/bin/mkdir -p " + execQuote(j.logFile().getParent().toString()) + "\n"
                + "ExecStart=" + String.join(" ", j.command().stream().map(SystemdInstaller::execQuote).toList()) + "\n"
                + "StandardOutput=append:" + j.logFile().toString().replace("%", "%%") + "\n"
                + "StandardError=inherit\n";
    }

    String timer(ScheduledJob j) {
        return "[Unit]\nDescription=Run PITR Console " + j.name() + " of " + repository.location() + " " + j.time() + "\n\n"
                + "[Timer]\nOnCalendar=" + j.time().toOnCalendar() + "\nPersistent=true\n\n"
                + "[Install]\nWantedBy=timers.target\n";
    }

    @Override
    public String render(List<ScheduledJob> jobs) {
        StringBuilder sb = new StringBuilder();
        for (ScheduledJob j : jobs) {
            sb.append("# ").append(unitsDir.resolve(unitBase(j.name()) + ".service")).append('\n').append(service(j)).append('\n');
            sb.append("# ").append(unitsDir.resolve(unitBase(j.name()) + ".timer")).append('\n').append(timer(j)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public List<String> install(List<ScheduledJob> jobs) {
        remove();
        List<String> done = new ArrayList<>();
        try {
            Files.createDirectories(unitsDir);
            for (ScheduledJob j : jobs) {
                AtomicFiles.write(unitsDir.resolve(unitBase(j.name()) + ".service"), service(j).getBytes(StandardCharsets.UTF_8));
                AtomicFiles.write(unitsDir.resolve(unitBase(j.name()) + ".timer"), timer(j).getBytes(StandardCharsets.UTF_8));
                done.add("installed " + j.name() + " (" + j.time() + ") as " + unitsDir.resolve(unitBase(j.name()) + ".timer"));
            }
        } catch (IOException e) {
            throw new PitrException("cannot write systemd units into " + unitsDir + ": " + e.getMessage(),
                    Hint.of("run as root for " + unitsDir + ", or pass --units-dir",
                            "start the console as root for " + unitsDir + ", or choose cron (crontab) as the Scheduler"));
        }
        List<String> enable = new ArrayList<>(List.of("systemctl", "enable", "--now"));
        jobs.forEach(j -> enable.add(unitBase(j.name()) + ".timer"));
        if (callSystemctl) {
            systemctl(List.of("systemctl", "daemon-reload"));
            systemctl(enable);
        } else {
            done.add("not enabled: run 'systemctl daemon-reload && " + String.join(" ", enable) + "'");
        }
        return done;
    }

    @Override
    public List<InstalledJob> installed(ZonedDateTime now) {
        List<InstalledJob> found = new ArrayList<>();
        for (String job : List.of("backup", "cleanup")) {
            Path timer = unitsDir.resolve(unitBase(job) + ".timer");
            if (!Files.isRegularFile(timer)) {
                continue;
            }
            try {
                Matcher m = ON_CALENDAR.matcher(Files.readString(timer));
                Optional<JobTime> t = m.find() ? JobTime.parseOnCalendar(m.group(1)) : Optional.empty();
                t.ifPresent(time -> found.add(new InstalledJob(job, "systemd (" + timer + ")", time, time.next(now))));
            } catch (IOException e) {
                throw new PitrException("cannot read " + timer + ": " + e.getMessage(), "check its permissions");
            }
        }
        return found;
    }

    @Override
    public List<String> remove() {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(unitsDir)) {
            return removed;
        }
        try (Stream<Path> s = Files.list(unitsDir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                boolean ours = List.of("backup", "cleanup").stream().anyMatch(j -> n.startsWith(unitBase(j) + "."));
                if (ours) {
                    if (callSystemctl && n.endsWith(".timer")) {
                        systemctl(List.of("systemctl", "disable", "--now", n));
                    }
                    Files.delete(p);
                    removed.add("removed " + p);
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot remove units from " + unitsDir + ": " + e.getMessage(), "check its permissions");
        }
        if (callSystemctl && !removed.isEmpty()) {
            systemctl(List.of("systemctl", "daemon-reload"));
        }
        return removed;
    }

    private static void systemctl(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new PitrException(String.join(" ", argv) + " failed: " + out.strip(),
                        Hint.of("is systemd running here? Otherwise use --cron", "is systemd running here? Otherwise choose cron (crontab) as the Scheduler"));
            }
        } catch (IOException e) {
            throw new PitrException("cannot run systemctl: " + e.getMessage(),
                    Hint.of("use --cron on machines without systemd", "choose cron (crontab) as the Scheduler on machines without systemd"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while running systemctl", "run the command again");
        }
    }

    /** Quotes one ExecStart argument: systemd's own quoting, '%' specifiers and '$' expansion escaped. */
    static String execQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$") + "\"";
    }
}
