package io.pitrconsole.repository;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A repository as named on the command line (--archive) or in a profile: parsed here and nowhere
 * else. A plain path is a local directory; a URI scheme names another kind of repository.
 */
public record RepositoryLocation(String text, Path directory) {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*");

    public RepositoryLocation {
        directory = directory.toAbsolutePath().normalize();
    }

    /** Parses what the user wrote; an unknown or not yet supported kind is a clear error. */
    public static RepositoryLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new PitrException("no archive given",
                    Hint.of("pass the archive directory with --archive DIR, or set it in the profile",
                            "choose the archive directory for the profile under Settings"));
        }
        var scheme = SCHEME.matcher(text.strip());
        if (scheme.matches()) {
            String kind = scheme.group(1).toLowerCase(Locale.ROOT);
            throw new PitrException("'" + text + "' names a " + kind + ":// repository, which this version cannot read",
                    Hint.of("pass a local archive directory with --archive DIR", "choose a local archive directory for the profile under Settings"));
        }
        try {
            return new RepositoryLocation(text, Path.of(text.strip()));
        } catch (InvalidPathException bad) {
            throw new PitrException("'" + text + "' is not a directory path: " + bad.getReason(),
                    Hint.of("pass the archive directory with --archive DIR", "choose the archive directory for the profile under Settings"));
        }
    }

    /** A local directory, as the practice cluster and tests name their archive. */
    public static RepositoryLocation of(Path directory) {
        return new RepositoryLocation(directory.toString(), directory);
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
