package io.pitrconsole.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.practice.PracticeLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Profiles, ui.json and the practice cluster follow HOME and the XDG variables, not the password database. */
class UserDirsTest {
    @Test
    void homeDecidesWhereProfilesAndTheConsolesPreferencesGo() {
        ProfileStore store = ProfileStore.standard(Map.of("HOME", "/tmp/x"));
        assertThat(store.file()).isEqualTo(Path.of("/tmp/x/.config/pitr-console/profiles.json"));
    }

    @Test
    void xdgConfigHomeWinsOverHomeAndARelativeOneIsIgnored() {
        assertThat(ProfileStore.standard(Map.of("HOME", "/tmp/x", "XDG_CONFIG_HOME", "/tmp/cfg")).file())
                .isEqualTo(Path.of("/tmp/cfg/pitr-console/profiles.json"));
        assertThat(ProfileStore.standard(Map.of("HOME", "/tmp/x", "XDG_CONFIG_HOME", "relative/cfg")).file())
                .isEqualTo(Path.of("/tmp/x/.config/pitr-console/profiles.json"));
    }

    @Test
    void thePracticeClusterLivesUnderTheDataHome() {
        assertThat(PracticeLayout.standard(Map.of("HOME", "/home/ann"), false).base())
                .isEqualTo(Path.of("/home/ann/.local/share/pitr-console/practice"));
        assertThat(PracticeLayout.standard(Map.of("HOME", "/home/ann", "XDG_DATA_HOME", "/srv/ann"), false).base())
                .isEqualTo(Path.of("/srv/ann/pitr-console/practice"));
    }

    @Test
    void asRootTwoHomesGetTwoPracticeClustersAndRootsOwnHomeMovesToVarLib() {
        assertThat(PracticeLayout.standard(Map.of("HOME", "/root"), true).base()).isEqualTo(Path.of("/var/lib/pitr-console/practice"));
        Path one = PracticeLayout.standard(Map.of("HOME", "/tmp/x"), true).base();
        Path two = PracticeLayout.standard(Map.of("HOME", "/tmp/y"), true).base();
        assertThat(one).isEqualTo(Path.of("/tmp/x/.local/share/pitr-console/practice")).isNotEqualTo(two);
    }

    @Test
    void theCacheIsUnderXdgCacheHomeElseDotCacheAndARelativeOneIsIgnored() {
        assertThat(UserDirs.cache(Map.of("HOME", "/home/dba", "XDG_CACHE_HOME", "/var/cache/dba")))
                .isEqualTo(Path.of("/var/cache/dba/pitr-console"));
        assertThat(UserDirs.cache(Map.of("HOME", "/home/dba"))).isEqualTo(Path.of("/home/dba/.cache/pitr-console"));
        assertThat(UserDirs.cache(Map.of("HOME", "/home/dba", "XDG_CACHE_HOME", "cache"))).isEqualTo(Path.of("/home/dba/.cache/pitr-console"));
    }
}
