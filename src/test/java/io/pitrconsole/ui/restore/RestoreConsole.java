package io.pitrconsole.ui.restore;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Page;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.stage.Stage;

/** The whole console window on a test cluster, for tests that drive the Restore page: its model and the wizard's view model. */
record RestoreConsole(ConsoleModel model, RestoreWizardViewModel wizard) {

    /** Shows the main window (configuration under {@code config}) with the profile "itest" on the cluster as default. */
    static RestoreConsole open(Stage stage, Path config, PgTestCluster c) {
        ConsoleModel model = new ConsoleModel(Map.of(), new ProfileStore(config.resolve("profiles.json")),
                new UiPreferencesStore(config.resolve("ui.json")));
        List<Page> pages = Pages.create(model);
        RestoreWizardViewModel vm = pages.stream().filter(p -> p instanceof RestorePage).map(p -> ((RestorePage) p).viewModel())
                .findFirst().orElseThrow();
        MainWindow window = new MainWindow(model, pages);
        stage.setScene(window.scene(1100, 700));
        stage.show();
        model.saveProfile(new Profile("itest", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(), null,
                c.archiveDir().toString(), null), true);
        return new RestoreConsole(model, vm);
    }
}
