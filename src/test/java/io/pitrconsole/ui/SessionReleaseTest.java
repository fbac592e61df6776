package io.pitrconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console keeps one opened repository per active profile and releases it when another profile becomes active or the window closes. */
class SessionReleaseTest {
    @TempDir
    Path dir;

    @Test
    void aProfileSwitchReleasesTheRepositoryOfTheProfileLeft() throws Exception {
        ConsoleModel model = ImmediateBackground.console(dir);
        Profile a = new Profile("a", "127.0.0.1", 1, null, null, null, null, Files.createDirectories(dir.resolve("a")).toString(), null);
        Profile b = new Profile("b", "127.0.0.1", 1, null, null, null, null, Files.createDirectories(dir.resolve("b")).toString(), null);
        model.activate(a);
        ClusterSession first = model.session().orElseThrow();
        Repository opened = first.repository();
        first.backups();
        first.windows();
        assertThat(first.repository()).as("kept while the profile is active").isSameAs(opened);

        model.activate(b);
        // released: work of the old profile still running would open it again, not reuse the closed one
        assertThat(first.repository()).isNotSameAs(opened);
        ClusterSession second = model.session().orElseThrow();
        Repository b1 = second.repository();
        model.close();
        assertThat(second.repository()).as("released when the console closes").isNotSameAs(b1);
    }
}
