package io.pitrconsole.repository;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pgBackRest stanza as a repository: pgbackrest://STANZA, read with pgBackRest's own commands.
 *
 * @param config the configuration file pgBackRest is run with; empty for its own lookup
 *               (/etc/pgbackrest/pgbackrest.conf and its include path)
 * @param repo   which of the stanza's repositories (repo1, repo2, ...); empty for pgBackRest's default
 */
public record PgBackRestStanza(String name, Optional<Path> config, OptionalInt repo) {

    /** pgbackrest://STANZA with what differs from pgBackRest's defaults, as a profile keeps it. */
    public String uri() {
        StringBuilder sb = new StringBuilder("pgbackrest://").append(name);
        String sep = "?";
        if (config.isPresent()) {
            sb.append(sep).append("config=").append(config.get());
            sep = "&";
        }
        if (repo.isPresent()) {
            sb.append(sep).append("repo=").append(repo.getAsInt());
        }
        return sb.toString();
    }

    /** The stanza and its repository, for messages. */
    public String describe() {
        return "pgBackRest stanza '" + name + "'" + (repo.isPresent() ? " (repo" + repo.getAsInt() + ")" : "")
                + config.map(c -> " configured in " + c).orElse("");
    }
}
