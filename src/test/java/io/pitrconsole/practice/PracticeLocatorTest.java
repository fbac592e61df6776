package io.pitrconsole.practice;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PracticeLocatorTest {
    @TempDir
    Path tmp;
    private ProfileStore store;
    private PracticeLayout fallback;

    @BeforeEach
    void setUp() {
        store = new ProfileStore(tmp.resolve("config").resolve("profiles.json"));
        fallback = new PracticeLayout(tmp.resolve("default-place"));
    }

    /** A practice cluster as 'demo --dir' leaves it: the state file beside the data directory. */
    private PracticeLayout practiceIn(String dir) throws Exception {
        PracticeLayout layout = new PracticeLayout(tmp.resolve(dir));
        Files.createDirectories(layout.base());
        Files.write(layout.stateFile(), Json.mapper().writeValueAsBytes(new PracticeState(5499, "postgres", "postgres", "postgres",
                "/usr/lib/postgresql/15/bin", Instant.EPOCH, null, null, 0, 0, false)));
        return layout;
    }

    private static Profile profile(String name, PracticeLayout layout) {
        return new Profile(name, "127.0.0.1", 5499, "postgres", "postgres", layout.dataDirectory().toString(), "postgres",
                layout.archiveDirectory().toString(), null);
    }

    @Test
    void thePracticeProfileLeadsToItsClusterWhereverItWasMade() throws Exception {
        PracticeLayout elsewhere = practiceIn("elsewhere");
        store.put(profile(PracticeCluster.PROFILE, elsewhere), false);
        assertThat(new PracticeLocator(store).locate(Optional.empty(), fallback)).isEqualTo(elsewhere);
    }

    @Test
    void withoutAPracticeClusterBehindTheProfileTheDefaultPlaceIsUsed() throws Exception {
        // the profile points at a directory that holds no practice cluster (removed by hand, or never one)
        store.put(profile(PracticeCluster.PROFILE, new PracticeLayout(tmp.resolve("gone"))), false);
        store.put(new Profile("prod", "db1", 5432, "backup", null, "/var/lib/postgresql/15/main", null, "/srv/pitr", null), true);
        assertThat(new PracticeLocator(store).locate(Optional.of("prod"), fallback)).isEqualTo(fallback);
        assertThat(new PracticeLocator(new ProfileStore(tmp.resolve("none.json"))).locate(Optional.empty(), fallback)).isEqualTo(fallback);
    }

    @Test
    void aNamedProfileWinsThenThePracticeProfileThenTheDefaultProfile() throws Exception {
        PracticeLayout one = practiceIn("one");
        PracticeLayout two = practiceIn("two");
        PracticeLayout three = practiceIn("three");
        store.put(profile("renamed", three), true);
        assertThat(new PracticeLocator(store).locate(Optional.empty(), fallback)).isEqualTo(three);
        store.put(profile(PracticeCluster.PROFILE, two), false);
        store.put(profile("other", one), false);
        PracticeLocator locator = new PracticeLocator(store);
        assertThat(locator.locate(Optional.empty(), fallback)).isEqualTo(two);
        assertThat(locator.locate(Optional.of("other"), fallback)).isEqualTo(one);
    }

    @Test
    void anUnreadableProfilesFileStillLeavesTheDefaultPlace() throws Exception {
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "{ not json");
        assertThat(new PracticeLocator(store).locate(Optional.empty(), fallback)).isEqualTo(fallback);
    }
}
