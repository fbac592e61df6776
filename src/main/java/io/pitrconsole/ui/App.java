package io.pitrconsole.ui;

import io.pitrconsole.core.CommandName;
import io.pitrconsole.ui.shell.MainWindow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import sun.misc.Signal;

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
        AtomicInteger endedBy = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal.handle(new Signal(name), s -> closeOnSignal(s, endedBy, closed));
            } catch (IllegalArgumentException | LinkageError unsupported) {
                // the JVM's own handling (its shutdown) stays for a signal this platform does not offer
            }
        }
        try {
            Application.launch(App.class);
            int signal = endedBy.get();
            return signal == 0 ? 0 : 128 + signal;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            err.println("error: cannot open the console window: " + e.getMessage());
            err.println("hint: check that a display is reachable; the command-line verbs work without one: "
                    + CommandName.current(env) + " --help");
            return 2;
        } finally {
            closed.countDown();
        }
    }

    // Ended by a signal (SIGTERM at logout or from kill or systemd, SIGHUP with its terminal, Ctrl-C)
    // the console closes as its close button does: the window's place is saved, running work is
    // cancelled and cleaned up, then the JVM ends. Left to the JVM's own shutdown, JavaFX's shutdown
    // hook disposed the graphics pipeline under the running FX thread (a NullPointerException from
    // GTK's run loop) and nothing was saved or cleaned up. A second signal, or a window that does not
    // close in time, ends the JVM at once (its shutdown hooks still stop the programs it started).
    private static void closeOnSignal(Signal signal, AtomicInteger endedBy, CountDownLatch closed) {
        int status = 128 + signal.getNumber();
        if (!endedBy.compareAndSet(0, signal.getNumber())) {
            System.exit(status);
        }
        try {
            Platform.runLater(() -> {
                for (Window w : List.copyOf(Window.getWindows())) {
                    w.hide();
                }
                Platform.exit();
            });
        } catch (IllegalStateException notStarted) {
            System.exit(status);
        }
        Thread deadline = new Thread(() -> {
            try {
                if (!closed.await(FxBackground.CLEANUP_ON_CLOSE.toSeconds() + 10, TimeUnit.SECONDS)) {
                    System.exit(status);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "console-close-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
