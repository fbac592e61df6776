package io.pitrconsole.schedule;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.SearchPath;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** This user's crontab, through the crontab program (crontab -l / crontab -). */
public final class UserCrontab implements CrontabStore {
    private static final String NO_CRON_HINT = "install cron (apt-get install cron), or schedule the jobs as systemd timers";

    private final Optional<Path> program;

    /** @param searchPath the PATH to find the crontab program on */
    public UserCrontab(String searchPath) {
        this.program = SearchPath.find(searchPath, "crontab");
    }

    @Override
    public Optional<String> unavailable() {
        return program.isPresent() ? Optional.empty() : Optional.of("cron is not available: no crontab program on the PATH");
    }

    private String crontab() {
        return program.orElseThrow(() -> new PitrException("cron is not available on this machine: there is no crontab program",
                NO_CRON_HINT)).toString();
    }

    @Override
    public String read() {
        if (program.isEmpty()) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(crontab(), "-l").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // crontab -l exits 1 with "no crontab for user" when there is none yet.
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            throw new PitrException("cannot run crontab: " + e.getMessage(), NO_CRON_HINT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while reading the crontab", "run the command again");
        }
    }

    @Override
    public void write(String text) {
        try {
            Process p = new ProcessBuilder(crontab(), "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new PitrException("crontab refused the new table: " + out.strip(),
                        Hint.of("check the lines with --print", "check the jobs' lines ('schedule install --print' on the command line shows them)"));
            }
        } catch (IOException e) {
            throw new PitrException("cannot run crontab: " + e.getMessage(), NO_CRON_HINT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while writing the crontab", "run the command again");
        }
    }

    @Override
    public String describe() {
        return "the crontab of " + System.getProperty("user.name");
    }
}
