package io.pitrconsole.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.HealthService;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console tells the user what to do in its own words: a never-verified backup makes the
 * Dashboard say to click Verify, where the command line says to run 'backup verify'.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleWordsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    private ConsoleModel model;

    @BeforeAll
    static void anUnverifiedBackup() {
        PgTestCluster c = pg.cluster();
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
    }

    @Start
    void start(Stage stage) {
        PgTestCluster c = pg.cluster();
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        store.put(new Profile("itest", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(),
                null, c.archiveDir().toString(), c.installation().binDir().toString()), true);
        model = new ConsoleModel(Map.of(), store, new UiPreferencesStore(config.resolve("ui.json")));
        stage.setScene(new MainWindow(model, Pages.create(model)).scene(1280, 800));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void theDashboardSaysToClickVerifyWhereTheCommandLineSaysBackupVerify(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> problems(robot).stream()
                .anyMatch(p -> p.startsWith("verification"))).get());
        String shown = WaitForAsyncUtils.asyncFx(() -> problems(robot).stream().filter(p -> p.startsWith("verification"))
                .findFirst().orElseThrow()).get();
        assertThat(shown).contains("click Verify on the Dashboard").doesNotContain("'backup verify'");

        // the same finding on the command line keeps its verb
        PgTestCluster c = pg.cluster();
        Finding onTheCommandLine = new HealthService(LocalDirectoryRepository.at(c.archiveDir()), Optional.of(c.connection()), Clock.systemUTC())
                .check().checks().stream().filter(h -> h.check().equals("verification")).findFirst().orElseThrow();
        assertThat(onTheCommandLine.hint()).contains("'backup verify'");
        assertThat(shown).endsWith(onTheCommandLine.consoleHint());
    }

    private static List<String> problems(FxRobot robot) {
        return robot.lookup("#dash-problems").tryQuery().map(n -> ((VBox) n).getChildren().stream()
                .map(l -> ((Label) l).getText()).toList()).orElse(List.of());
    }
}
