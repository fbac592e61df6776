package io.pitrconsole.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'schedule' verb group. */
@Command(name = "schedule", description = "Install, show and remove scheduled backups and cleanups; check what they need.")
public final class ScheduleCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
