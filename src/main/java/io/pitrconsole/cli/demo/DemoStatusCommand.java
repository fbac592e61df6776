package io.pitrconsole.cli.demo;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.practice.PracticeState;
import io.pitrconsole.practice.PracticeStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show whether the practice cluster exists and runs, and where.")
public final class DemoStatusCommand extends PracticeVerb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    DemoStatusCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        PracticeStatus status = practice().status();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("directory", status.layout().base().toString());
            m.put("exists", status.exists());
            m.put("running", status.running());
            status.state().ifPresent(s -> m.put("cluster", s));
            printJson(m);
            return 0;
        }
        if (status.state().isEmpty()) {
            ctx.out().println("no practice cluster in " + status.layout().base() + " (create one with 'pitr-console demo')");
            return 0;
        }
        print(ctx.out(), status.layout(), status.state().get(), status.running());
        return 0;
    }

    static void print(PrintWriter out, PracticeLayout layout, PracticeState s, boolean running) {
        out.printf("practice cluster   %s%n", running ? "running" : "stopped");
        out.printf("  connect          psql -h 127.0.0.1 -p %d -U %s %s%n", s.port(), s.user(), s.database());
        out.printf("  data directory   %s%n", layout.dataDirectory());
        out.printf("  archive          %s%n", layout.archiveDirectory());
        if (s.historyFrom() != null) {
            out.printf("  history          %s .. %s: %d backups, %d restore points%s%n", Formats.time(s.historyFrom()),
                    Formats.time(s.historyTo()), s.backups(), s.restorePoints(),
                    s.historyPending() ? " (not complete: being written, or stopped early)" : "");
        }
    }
}
