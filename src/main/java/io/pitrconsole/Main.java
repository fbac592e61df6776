package io.pitrconsole;

import io.pitrconsole.cli.ClassArchiveTraining;
import io.pitrconsole.cli.PitrCli;
import io.pitrconsole.ui.App;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point. Deliberately not a JavaFX Application subclass, so the shaded jar starts on a plain
 * JDK. With arguments it is the CLI; without, it opens the console window.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int status = args.length == 0 ? App.launchConsole(System.getenv(), err) : PitrCli.run(args, System.getenv(), out, err, System.in);
        if (ClassArchiveTraining.requested()) {
            ClassArchiveTraining.loadCommandLineClasses(System.getenv());
        }
        System.exit(status);
    }
}
