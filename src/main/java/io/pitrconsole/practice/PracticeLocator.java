package io.pitrconsole.practice;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.PitrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the practice cluster a profile points at, so 'demo status|stop|start|remove' (and the
 * console's practice card) act on the cluster 'demo --dir' made, not on an empty default location.
 */
public final class PracticeLocator {
    private static final Logger LOG = LoggerFactory.getLogger(PracticeLocator.class);

    private final ProfileStore profiles;

    public PracticeLocator(ProfileStore profiles) {
        this.profiles = profiles;
    }

    /** The practice cluster this profile points at: its data directory's parent, when that holds a practice state file. */
    public static Optional<PracticeLayout> of(Profile profile) {
        String data = profile.dataDirectory();
        if (data == null || data.isBlank()) {
            return Optional.empty();
        }
        Path parent = Path.of(data).toAbsolutePath().normalize().getParent();
        if (parent == null) {
            return Optional.empty();
        }
        PracticeLayout layout = new PracticeLayout(parent);
        boolean ours = layout.dataDirectory().equals(Path.of(data).toAbsolutePath().normalize())
                && Files.isRegularFile(layout.stateFile());
        return ours ? Optional.of(layout) : Optional.empty();
    }

    /**
     * Where the practice cluster is: the named profile's (when one is named and it is a practice
     * cluster), else the 'practice' profile's, else the default profile's, else {@code fallback}.
     */
    public PracticeLayout locate(Optional<String> named, PracticeLayout fallback) {
        List<Profile> all;
        Optional<String> defaultName;
        try {
            ProfileStore.ProfilesFile file = profiles.load();
            all = file.profiles();
            defaultName = Optional.ofNullable(file.defaultProfile());
        } catch (PitrException e) {
            // an unreadable profiles file must not keep the user from stopping or removing the practice cluster
            LOG.warn("looking for the practice cluster in {} only: {}", fallback.base(), e.getMessage());
            return fallback;
        }
        List<String> candidates = new ArrayList<>();
        named.ifPresent(candidates::add);
        candidates.add(PracticeCluster.PROFILE);
        defaultName.ifPresent(candidates::add);
        for (String name : candidates) {
            Optional<PracticeLayout> found = all.stream().filter(p -> name.equals(p.name())).findFirst().flatMap(PracticeLocator::of);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return fallback;
    }
}
