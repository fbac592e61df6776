package io.pitrconsole.cli.wal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'wal' verb group. */
@Command(name = "wal", description = "Inspect the WAL archive.")
public final class WalCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
