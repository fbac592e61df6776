package io.pitrconsole.repository.pgbackrest;

import io.pitrconsole.repository.ArchiveCommand;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server archives into a pgBackRest stanza with pgBackRest's own archive-push: there is no
 * script of ours to install, and compression is pgBackRest's setting (compress-type), not ours.
 */
final class PgBackRestArchiveCommand implements ArchiveCommand {
    private final PgBackRestCommands commands;

    PgBackRestArchiveCommand(PgBackRestCommands commands) {
        this.commands = commands;
    }

    @Override
    public String setting() {
        return commands.shellLine("archive-push") + " %p";
    }

    @Override
    public Path script() {
        return Path.of(commands.commandLine().get(0));
    }

    @Override
    public String render(String compression) {
        return setting();
    }

    @Override
    public Optional<Path> install(String compression) {
        return Optional.empty();
    }

    @Override
    public boolean installed() {
        return true;
    }

    @Override
    public boolean ownScript() {
        return false;
    }
}
