package io.pitrconsole.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a program on a PATH-style list of directories, as a shell would (empty entries skipped). */
public final class SearchPath {
    private SearchPath() {
    }

    /** The first executable of that name in the list's directories. */
    public static Optional<Path> find(String path, String program) {
        return Stream.of((path == null ? "" : path).split(":")).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
