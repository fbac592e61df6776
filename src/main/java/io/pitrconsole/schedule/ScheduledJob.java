package io.pitrconsole.schedule;

import java.util.List;

/**
 * One job to install: its name (backup, cleanup), when it runs, the full command and where its
 * output goes.
 */
public record ScheduledJob(String name, JobTime time, List<String> command, java.nio.file.Path logFile) {
    public ScheduledJob {
        command = List.copyOf(command);
    }
}
