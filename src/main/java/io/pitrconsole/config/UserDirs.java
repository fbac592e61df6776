package io.pitrconsole.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's base directories by the XDG conventions: $XDG_CONFIG_HOME and $XDG_DATA_HOME, else
 * under $HOME. Java's user.home is read from the password database and ignores HOME, so it is only
 * the last resort: a DBA who sets HOME=/tmp/x expects the files there.
 */
public record UserDirs(Path configHome, Path dataHome, Path home) {
    /** The directories the environment names. */
    public static UserDirs of(Map<String, String> env) {
        Path home = Path.of(nonBlank(env.get("HOME"), System.getProperty("user.home"))).toAbsolutePath().normalize();
        String config = env.get("XDG_CONFIG_HOME");
        String data = env.get("XDG_DATA_HOME");
        // the spec says a relative XDG path is invalid and must be ignored
        return new UserDirs(absolute(config) ? Path.of(config) : home.resolve(".config"),
                absolute(data) ? Path.of(data) : home.resolve(".local").resolve("share"), home);
    }

    /** This program's folder under the config home. */
    public Path config() {
        return configHome.resolve("pitr-console");
    }

    /** This program's folder under the cache home ($XDG_CACHE_HOME, else ~/.cache): what can be rebuilt. */
    public static Path cache(Map<String, String> env) {
        String cache = env.get("XDG_CACHE_HOME");
        return (absolute(cache) ? Path.of(cache) : of(env).home().resolve(".cache")).resolve("pitr-console");
    }

    /** This program's folder under the data home. */
    public Path data() {
        return dataHome.resolve("pitr-console");
    }

    private static boolean absolute(String path) {
        return path != null && !path.isBlank() && Path.of(path).isAbsolute();
    }

    private static String nonBlank(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }
}
