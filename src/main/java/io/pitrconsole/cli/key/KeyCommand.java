package io.pitrconsole.cli.key;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The 'key' verb group. */
@Command(name = "key", description = "Make and inspect the key files of encrypted repositories, and change a repository's key.")
public final class KeyCommand {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
