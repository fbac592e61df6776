package io.pitrconsole.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes $XDG_CONFIG_HOME/pitr-console/profiles.json (default $HOME/.config/pitr-console/profiles.json). */
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
        return new ProfileStore(UserDirs.of(env).config().resolve("profiles.json"));
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

    /** Adds or replaces the profile of that name; makes it the default when asked or when it is the only one. */
    public void put(Profile profile, boolean makeDefault) {
        ProfilesFile all = load();
        List<Profile> profiles = new ArrayList<>(all.profiles().stream().filter(p -> !p.name().equals(profile.name())).toList());
        profiles.add(profile);
        String def = makeDefault || all.defaultProfile() == null ? profile.name() : all.defaultProfile();
        save(new ProfilesFile(def, profiles));
    }

    /** Removes the named profile (no error when absent); the default moves to another profile or none. */
    public void remove(String name) {
        ProfilesFile all = load();
        List<Profile> rest = all.profiles().stream().filter(p -> !p.name().equals(name)).toList();
        String def = name.equals(all.defaultProfile()) ? (rest.isEmpty() ? null : rest.get(0).name()) : all.defaultProfile();
        save(new ProfilesFile(def, rest));
    }

    private void save(ProfilesFile all) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        } catch (IOException e) {
            throw new PitrException("cannot write profiles to " + file + ": " + e.getMessage(),
                    "check that the directory " + file.getParent() + " is writable");
        }
    }
}
