package io.pitrconsole.cli.backup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'backup' verb group. */
@Command(name = "backup", description = "Take, list, inspect, verify and delete base backups.")
public final class BackupCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
