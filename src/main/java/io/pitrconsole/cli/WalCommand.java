package io.pitrconsole.cli;

import picocli.CommandLine.Command;

/** The 'wal' verb group. */
@Command(name = "wal", description = "Inspect the WAL archive.", subcommands = {WalStatusCommand.class})
final class WalCommand {
}
