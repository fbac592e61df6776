package io.pitrconsole.cli.archiving;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'archiving' verb group. */
@Command(name = "archiving", description = "Set up, check and watch continuous WAL archiving.")
public final class ArchivingCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
