package io.pitrconsole.core;

import java.nio.file.Path;

/** What may go into a shell command line as it is, unquoted: the server runs its commands with /bin/sh. */
public final class ShellWords {
    private static final String SAFE = "[A-Za-z0-9_./@+=,:~-]+";

    private ShellWords() {
    }

    /** True when the path has only letters, digits and _ . / @ + = , : ~ - characters, so a shell takes it as one word. */
    public static boolean isSafe(Path p) {
        return p.toAbsolutePath().normalize().toString().matches(SAFE);
    }
}
