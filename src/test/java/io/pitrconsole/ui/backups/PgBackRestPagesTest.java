package io.pitrconsole.ui.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.it.PgBackRestStanza;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
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
 * A profile whose archive is a real pgBackRest stanza: the Backups page lists its sets with their
 * type, and the Dashboard shows pgBackRest's own status beside the console's checks.
 */
@ExtendWith(ApplicationExtension.class)
class PgBackRestPagesTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static PgBackRestStanza stanza;
    private static Path cache;

    @TempDir
    Path config;

    private ConsoleModel model;

    @BeforeAll
    static void fullAndIncr() throws Exception {
        stanza = PgBackRestStanza.create(pg.cluster(), "console", Map.of());
        stanza.backup("full");
        pg.cluster().sql("CREATE TABLE t AS SELECT 1 AS x");
        stanza.backup("incr");
        cache = Files.createTempDirectory("pitr-pgbr-ui-");
    }

    @AfterAll
    static void removeStanza() throws Exception {
        if (stanza != null) {
            stanza.close();
        }
        if (cache != null) {
            FileTrees.deleteRecursively(cache);
        }
    }

    @Start
    void start(Stage stage) {
        PgTestCluster c = pg.cluster();
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        store.put(new Profile("pgbr", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(),
                null, stanza.location(), c.installation().binDir().toString()), true);
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "XDG_CACHE_HOME", cache.toString(),
                "HOME", cache.toString());
        model = new ConsoleModel(env, store, new UiPreferencesStore(config.resolve("ui.json")));
        List<io.pitrconsole.ui.Page> pages = Pages.create(model);
        MainWindow window = new MainWindow(model, pages);
        stage.setScene(window.scene(1200, 800));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void theBackupsPageListsTheStanzasSetsWithTheirType(FxRobot robot) throws Exception {
        robot.clickOn("#nav-backups");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(60, TimeUnit.SECONDS, () -> onFx(() -> table.getItems().size() == 2) && model.background().running().isEmpty());

        List<BackupRow> rows = rows(table);
        assertThat(rows).extracting(BackupRow::status).containsOnly("complete");
        assertThat(rows).extracting(BackupRow::label).anyMatch(l -> l.equals("pgBackRest full"))
                .anyMatch(l -> l.startsWith("pgBackRest incr based on "));
        assertThat(rows).extracting(BackupRow::timeline).containsOnly(1);
        assertThat(((Label) robot.lookup("#page-title").query()).getText()).isEqualTo(Pages.BACKUPS);
    }

    @Test
    void theDashboardShowsPgBackRestsOwnStatusBesideTheConsolesChecks(FxRobot robot) throws Exception {
        robot.clickOn("#nav-dashboard");
        javafx.scene.layout.VBox own = robot.lookup("#dash-own-status").queryAs(javafx.scene.layout.VBox.class);
        await(60, TimeUnit.SECONDS, () -> onFx(() -> own.getChildren().size() == 3) && model.background().running().isEmpty());

        List<String> lines = WaitForAsyncUtils.asyncFx(() -> own.getChildren().stream().map(n -> ((Label) n).getText()).toList()).get();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("pgBackRest stanza: ").contains("'console'", "ok", "pgBackRest 2.45"))
                .anySatisfy(l -> assertThat(l).isEqualTo("pgBackRest lock: free"))
                .anySatisfy(l -> assertThat(l).isEqualTo("pgBackRest backup errors: none of 2 set(s)"));
        // the console's own problems stay in their list, without pgBackRest's lines repeated there
        javafx.scene.layout.VBox problems = robot.lookup("#dash-problems").queryAs(javafx.scene.layout.VBox.class);
        List<String> problemLines = WaitForAsyncUtils.asyncFx(() -> problems.getChildren().stream().map(n -> ((Label) n).getText()).toList()).get();
        assertThat(problemLines).noneMatch(l -> l.startsWith("pgBackRest"));
    }

    private static boolean onFx(java.util.concurrent.Callable<Boolean> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get();
    }

    private void await(long seconds, TimeUnit unit, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, unit, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; console log:\n" + String.join("\n", List.copyOf(model.log())), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<BackupRow> rows(TableView<?> table) {
        return List.copyOf((List<BackupRow>) table.getItems());
    }
}
