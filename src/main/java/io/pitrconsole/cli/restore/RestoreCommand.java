package io.pitrconsole.cli.restore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'restore' verb group. */
@Command(name = "restore", description = "Plan, rehearse and run point-in-time restores; discard sandboxes, roll back, history; check prerequisites, list backups, verify a restored cluster.")
public final class RestoreCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
