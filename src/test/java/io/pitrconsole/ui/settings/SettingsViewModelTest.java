package io.pitrconsole.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.UiPreferences;
import io.pitrconsole.ui.UiPreferencesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Consumer;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings without a window: profiles.json and ui.json are touched only inside submitted work
 * (here held until the test runs it), and the console follows once a write is done.
 */
class SettingsViewModelTest {
    @TempDir
    Path dir;

    private HeldBackground held;
    private ConsoleModel model;
    private SettingsViewModel vm;
    private Path profilesFile;
    private Path uiFile;

    /** Keeps submitted work until {@link #runAll()}; then runs it, and what it submits, at once. */
    private static final class HeldBackground implements Background {
        private final ImmediateBackground now;
        private final Deque<Runnable> held = new ArrayDeque<>();

        HeldBackground(Consumer<Notice> notices, Consumer<String> log) {
            now = new ImmediateBackground(notices, log);
        }

        @Override
        public <T> Job submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure,
                              WhenCancelled whenCancelled) {
            held.add(() -> now.submit(title, work, onSuccess, onFailure, whenCancelled));
            return null;
        }

        int pending() {
            return held.size();
        }

        void runAll() {
            while (!held.isEmpty()) {
                held.poll().run();
            }
        }

        @Override
        public void onUi(Runnable update) {
            update.run();
        }

        @Override
        public ObservableList<Task<?>> running() {
            return now.running();
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void console() {
        profilesFile = dir.resolve("profiles.json");
        uiFile = dir.resolve("ui.json");
        model = new ConsoleModel(Map.of(), new ProfileStore(profilesFile), new UiPreferencesStore(uiFile),
                new PracticeLayout(dir.resolve("practice")), HeldBackground::new);
        held = (HeldBackground) model.background();
        vm = new SettingsViewModel(model, held);
    }

    @Test
    void savingWritesProfilesJsonOnlyInTheBackgroundThenMakesTheProfileActive() {
        Profile a = new Profile("a", "127.0.0.1", 1, null, null, null, null, null, null);
        vm.save(a, null, true);
        assertThat(vm.busyProperty().get()).isTrue();
        assertThat(profilesFile).doesNotExist();
        assertThat(model.profiles()).isEmpty();

        held.runAll();
        assertThat(new ProfileStore(profilesFile).load().defaultProfile()).isEqualTo("a");
        assertThat(model.profiles()).containsExactly(a);
        assertThat(model.session()).map(ClusterSession::name).contains("a");
        assertThat(vm.defaultProfileProperty().get()).isEqualTo("a");
        assertThat(vm.savedProperty().get()).isEqualTo("a");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(model.notices()).anyMatch(n -> n.message().equals("Profile a saved as the default"));
    }

    @Test
    void aRenamedProfileReplacesItsOldNameAndMakeDefaultMovesTheDefault() {
        Profile a = new Profile("a", "127.0.0.1", 1, null, null, null, null, null, null);
        Profile b = new Profile("b", "127.0.0.1", 2, null, null, null, null, null, null);
        vm.save(a, null, true);
        vm.save(b, null, false);
        held.runAll();
        Profile renamed = new Profile("a2", "127.0.0.1", 1, null, null, null, null, null, null);
        vm.save(renamed, "a", false);
        vm.makeDefault(b);
        held.runAll();

        ProfileStore.ProfilesFile file = new ProfileStore(profilesFile).load();
        assertThat(file.profiles()).extracting(Profile::name).containsExactlyInAnyOrder("a2", "b");
        assertThat(file.defaultProfile()).isEqualTo("b");
        assertThat(model.profiles()).extracting(Profile::name).containsExactlyInAnyOrder("a2", "b");
        assertThat(vm.defaultProfileProperty().get()).isEqualTo("b");
    }

    @Test
    void removingTheActiveProfileTouchesOnlyProfilesJson() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Files.writeString(archive.resolve("backup_schedule.json"), "{}");
        Profile a = new Profile("a", "127.0.0.1", 1, null, null, null, null, archive.toString(), null);
        Profile b = new Profile("b", "127.0.0.1", 2, null, null, null, null, null, null);
        vm.save(b, null, true);
        vm.save(a, null, false);
        held.runAll();
        assertThat(model.session()).map(ClusterSession::name).contains("a");

        vm.remove("a");
        assertThat(new ProfileStore(profilesFile).load().profiles()).hasSize(2);
        held.runAll();
        assertThat(new ProfileStore(profilesFile).load().profiles()).containsExactly(b);
        assertThat(model.profiles()).containsExactly(b);
        assertThat(model.session()).map(ClusterSession::name).contains("b");
        assertThat(archive.resolve("backup_schedule.json")).exists();
        assertThat(model.notices()).anyMatch(n -> n.message().equals("Profile a removed (no data was touched)"));
    }

    @Test
    void aProfilesFileThatCannotBeWrittenIsANoticeAndChangesNothing() throws Exception {
        // a directory where profiles.json should be
        Files.createDirectories(profilesFile);
        vm.save(new Profile("a", "127.0.0.1", 1, null, null, null, null, null, null), null, true);
        held.runAll();
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(model.profiles()).isEmpty();
        assertThat(model.session()).isEmpty();
        assertThat(model.notices()).anyMatch(n -> n.level() == Notice.Level.ERROR && n.message().startsWith("Saving profile a: ")
                && !n.hint().isBlank());
    }

    @Test
    void preferencesApplyAtOnceAndTheFileEndsWithTheNewest() {
        vm.setDark(true);
        assertThat(model.preferencesProperty().get().dark()).isTrue();
        assertThat(uiFile).doesNotExist();
        // clicked again and changed more before the first write ran: one write waits for the other
        vm.setDark(false);
        vm.setDefaults("lz4", 12);
        assertThat(held.pending()).isEqualTo(1);

        held.runAll();
        UiPreferences written = new UiPreferencesStore(uiFile).load();
        assertThat(written.dark()).isFalse();
        assertThat(written.defaultCompression()).isEqualTo("lz4");
        assertThat(written.staleAfterHours()).isEqualTo(12);
        assertThat(model.preferencesProperty().get()).isEqualTo(written);
    }

    @Test
    void refreshReadsProfilesJsonInTheBackground() {
        new ProfileStore(profilesFile).put(new Profile("cli", "127.0.0.1", 1, null, null, null, null, null, null), true);
        vm.refresh();
        assertThat(model.profiles()).isEmpty();
        held.runAll();
        assertThat(model.profiles()).extracting(Profile::name).containsExactly("cli");
        assertThat(vm.defaultProfileProperty().get()).isEqualTo("cli");
    }
}
