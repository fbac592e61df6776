package io.pitrconsole.cli;

import picocli.CommandLine.Command;

/** The 'archiving' verb group. */
@Command(name = "archiving", description = "Set up, check and watch continuous WAL archiving.",
        subcommands = {ArchivingGenerateCommand.class, ArchivingApplyCommand.class, ArchivingVerifyCommand.class,
                ArchivingStatsCommand.class})
final class ArchivingCommand {
}
