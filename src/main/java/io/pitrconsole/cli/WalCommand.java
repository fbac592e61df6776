package io.pitrconsole.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'wal' verb group. */
@Command(name = "wal", description = "Inspect the WAL archive.")
final class WalCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
