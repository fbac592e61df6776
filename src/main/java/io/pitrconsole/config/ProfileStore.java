package io.pitrconsole.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads ~/.config/pitr-console/profiles.json (or $XDG_CONFIG_HOME/pitr-console/profiles.json). */
public final class ProfileStore {
    /** The file's shape: the profiles and which one is used when none is named. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProfilesFile(String defaultProfile, List<Profile> profiles) {
        public ProfilesFile {
            profiles = profiles == null ? List.of() : List.copyOf(profiles);
        }
    }

    private final Path file;

    public ProfileStore(Path file) {
        this.file = file;
    }

    public static ProfileStore standard(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new ProfileStore(base.resolve("pitr-console").resolve("profiles.json"));
    }

    public Path file() {
        return file;
    }

    /** All profiles; none when the file does not exist. */
    public ProfilesFile load() {
        if (!Files.exists(file)) {
            return new ProfilesFile(null, List.of());
        }
        try {
            return Json.mapper().readValue(file.toFile(), ProfilesFile.class);
        } catch (IOException e) {
            throw new PitrException("cannot read profiles from " + file + ": " + e.getMessage().lines().findFirst().orElse(""),
                    "fix the JSON in that file or move it away");
        }
    }

    /** The named profile, or the default one when name is null; empty when there are none. */
    public Optional<Profile> find(String name) {
        ProfilesFile all = load();
        if (name == null) {
            String def = all.defaultProfile();
            return def != null ? all.profiles().stream().filter(p -> def.equals(p.name())).findFirst()
                    : all.profiles().size() == 1 ? Optional.of(all.profiles().get(0)) : Optional.empty();
        }
        return Optional.of(all.profiles().stream().filter(p -> name.equals(p.name())).findFirst()
                .orElseThrow(() -> new PitrException("no profile named '" + name + "' in " + file,
                        "known profiles: " + all.profiles().stream().map(Profile::name).toList())));
    }
}
