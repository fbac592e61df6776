package io.pitrconsole.pg;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns what libpq and the PostgreSQL programs print on failure into a short cause and a hint a
 * DBA can act on. The patterns are the server's and libpq's own message texts.
 */
public final class FailureHints {
    private record Rule(String needle, String cause, String hint) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("no space left on device", "the disk is full",
                    "free space on the archive's file system (run cleanup) or choose another archive directory"),
            new Rule("password authentication failed", "the server rejected the password",
                    "check the password for this host, port and user in ~/.pgpass or the file named by PGPASSFILE"),
            new Rule("no password supplied", "the server wants a password and none was found",
                    "add a line host:port:*:user:password to ~/.pgpass (mode 0600) or set PGPASSFILE"),
            new Rule("fe_sendauth: no password", "the server wants a password and none was found",
                    "add a line host:port:*:user:password to ~/.pgpass (mode 0600) or set PGPASSFILE"),
            new Rule("must be superuser or replication role", "the role may not take base backups",
                    "grant it: ALTER ROLE <user> REPLICATION; and allow it in pg_hba.conf ('host replication <user> ...'), then reload"),
            new Rule("permission denied to start wal sender", "the role may not take base backups",
                    "grant it: ALTER ROLE <user> REPLICATION; and allow it in pg_hba.conf ('host replication <user> ...'), then reload"),
            new Rule("pg_hba.conf rejects replication connection", "pg_hba.conf rejects replication connections from here",
                    "change the matching 'replication' line in pg_hba.conf to allow this user and address, then reload the server"),
            new Rule("no pg_hba.conf entry for replication connection", "pg_hba.conf does not allow replication connections from here",
                    "add 'host replication <user> <address>/32 scram-sha-256' to pg_hba.conf and reload the server"),
            new Rule("no pg_hba.conf entry", "pg_hba.conf does not allow this connection",
                    "add a matching line to pg_hba.conf and reload the server"),
            new Rule("max_wal_senders", "the server has no free WAL sender slot",
                    "raise max_wal_senders in postgresql.conf (at least 2 for a backup with streamed WAL) and restart the server"),
            new Rule("connection refused", "no server is listening there",
                    "check that the server runs and that host and port (-h/-p, PGHOST/PGPORT) are right"),
            new Rule("could not translate host name", "the host name is unknown",
                    "check -h / PGHOST"),
            new Rule("does not exist", "something named in the request does not exist",
                    "check the database, role or directory named in the message"),
            new Rule("permission denied", "a file or directory could not be accessed",
                    "check ownership and permissions of the directory named in the message"));

    private FailureHints() {
    }

    /** The best-fitting hint for these error lines, if any rule matches. */
    public static Optional<String> hintFor(List<String> lines) {
        String text = String.join("\n", lines).toLowerCase(Locale.ROOT);
        return RULES.stream().filter(r -> text.contains(r.needle)).map(Rule::hint).findFirst();
    }

    public static Optional<String> causeFor(List<String> lines) {
        String text = String.join("\n", lines).toLowerCase(Locale.ROOT);
        return RULES.stream().filter(r -> text.contains(r.needle)).map(Rule::cause).findFirst();
    }
}
