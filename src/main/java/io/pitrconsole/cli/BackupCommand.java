package io.pitrconsole.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'backup' verb group. */
@Command(name = "backup", description = "Take, list, inspect, verify and delete base backups.")
final class BackupCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
