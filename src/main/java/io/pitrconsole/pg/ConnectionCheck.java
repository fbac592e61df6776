package io.pitrconsole.pg;

/**
 * The connection check every face does the same way: connect with those settings and read what
 * the server is (version, timeline, data directory). The console's status bar, the Test button of
 * a profile, and 'schedule verify-deps' / 'check' (their "server" line) all run this one.
 */
public record ConnectionCheck(ConnectionSettings target, ServerInfo server) {
    /** Connects and reads the server; a PitrException with a hint when it cannot be reached or refuses. */
    public static ConnectionCheck run(ConnectionSettings target) {
        return new ConnectionCheck(target, ServerInfo.read(target));
    }
}
