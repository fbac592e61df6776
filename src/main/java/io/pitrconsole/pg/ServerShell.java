package io.pitrconsole.pg;

import java.util.List;

/**
 * A shell run as the server's OS user. The server's archive_command and restore_command run as
 * that user, not as this tool, so what they will be able to do is tried as that user.
 */
public interface ServerShell {
    /** What a script printed and how it ended. */
    record Result(int exitCode, String stdout, List<String> stderrTail) {
    }

    /** The OS user's name, for messages. */
    String user();

    /** False when this tool already runs as that user: then a file's permissions can be checked directly. */
    boolean switchesUser();

    /** Runs {@code /bin/sh -c script sh args...} as that user. */
    Result run(String script, List<String> args);
}
