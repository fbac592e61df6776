package io.pitrconsole.ui;

import io.pitrconsole.core.CommandName;
import io.pitrconsole.ui.shell.MainWindow;
import java.io.PrintWriter;
import java.util.Map;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one console window over the user's profiles. */
public final class App extends Application {
    private ConsoleModel model;

    @Override
    public void start(Stage stage) {
        model = ConsoleModel.standard(System.getenv());
        MainWindow.followTheme(model);
        MainWindow window = new MainWindow(model, Pages.create(model));
        window.install(stage);
        stage.show();
        model.reloadProfiles();
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
    }

    /**
     * Opens the console window and returns when it closes. Without a display there is nothing to
     * open; that is an error with a hint, not a stack trace.
     */
    public static int launchConsole(Map<String, String> env, PrintWriter err) {
        boolean headlessToolkit = System.getProperty("glass.platform") != null;
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        if (linux && !headlessToolkit && blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            err.println("error: cannot open the console window: no display (DISPLAY is not set)");
            err.println("hint: run it from a desktop session, or use the command-line verbs: " + CommandName.current(env) + " --help");
            return 2;
        }
        try {
            Application.launch(App.class);
            return 0;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            err.println("error: cannot open the console window: " + e.getMessage());
            err.println("hint: check that a display is reachable; the command-line verbs work without one: "
                    + CommandName.current(env) + " --help");
            return 2;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
