package io.pitrconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading profiles reads profiles.json as background work, never on the thread that asks (the FX thread in the window). */
class ProfileReloadTest {
    @TempDir
    Path dir;

    @Test
    void profilesAreReadAsBackgroundWorkAndTheDefaultBecomesActive() {
        ConsoleModel model = ImmediateBackground.console(dir);
        new ProfileStore(dir.resolve("profiles.json")).put(new Profile("prod", "127.0.0.1", 1, null, null, null, null, "/srv/archive", null),
                true);
        model.reloadProfiles();
        assertThat(((ImmediateBackground) model.background()).titles()).containsExactly("Reading profiles", "Connecting to prod");
        assertThat(model.profiles()).extracting(Profile::name).containsExactly("prod");
        assertThat(model.session()).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo("prod"));
        model.close();
    }

    @Test
    void aProfilesFileThatCannotBeReadIsANoticeWithAHintAndNoProfile() throws Exception {
        ConsoleModel model = ImmediateBackground.console(dir);
        Files.writeString(dir.resolve("profiles.json"), "{ not json");
        model.reloadProfiles();
        assertThat(((ImmediateBackground) model.background()).titles()).containsExactly("Reading profiles");
        assertThat(model.profiles()).isEmpty();
        assertThat(model.session()).isEmpty();
        assertThat(model.notices()).anySatisfy(n -> {
            assertThat(n.level()).isEqualTo(Notice.Level.ERROR);
            assertThat(n.message()).contains("cannot read profiles from");
            assertThat(n.hint()).contains("fix the JSON");
        });
        model.close();
    }
}
