package io.pitrconsole.repository;

/**
 * Which pgBackRest configuration and repository a pgbackrest:// location is read with, as flags
 * (--pgbackrest-config, --pgbackrest-repo) give them; read only for a pgbackrest:// location.
 * A profile keeps them in its archive text instead (pgbackrest://STANZA?config=FILE&amp;repo=N).
 *
 * @param config the configuration file, or null for pgBackRest's own lookup
 * @param repo   the repository number (repo1, repo2, ...), or null for pgBackRest's default
 */
public record PgBackRestOptions(String config, Integer repo) {
    /** Nothing given: pgBackRest's own configuration lookup and default repository. */
    public static final PgBackRestOptions NONE = new PgBackRestOptions(null, null);

    public PgBackRestOptions {
        config = config == null || config.isBlank() ? null : config.strip();
    }

    /** These options where given, else the other's: flags over what the location itself says. */
    public PgBackRestOptions over(PgBackRestOptions fallback) {
        return new PgBackRestOptions(config != null ? config : fallback.config, repo != null ? repo : fallback.repo);
    }
}
