package io.pitrconsole.pg;

import java.util.ArrayList;
import java.util.List;

/**
 * Who runs the server-side programs (initdb, pg_ctl, postgres). They refuse to run as root, so
 * when this console runs as root they are started through runuser as the configured user.
 */
public record OsUser(String name) {
    public static final String DEFAULT = "postgres";

    public static boolean currentIsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Wraps a command line so it runs as this user when we are root; unchanged otherwise. */
    public List<String> wrap(List<String> command) {
        if (!currentIsRoot() || "root".equals(name)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    public boolean switchesUser() {
        return currentIsRoot() && !"root".equals(name);
    }
}
