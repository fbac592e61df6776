package io.pitrconsole.cli.restore;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.ProgressPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", description = "Check the prerequisites of a restore: programs, backups, windows, WAL, space, access, "
        + "and every record's CRC in the WAL files a restore to the target (default: the latest) replays, each file read whole "
        + "(compressed ones decompressed to their end) and readable by the server's OS user. "
        + "Exit 0 all pass, 1 warnings, 2 failures.")
public final class RestoreCheckCommand extends Verb {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RestoreTargetOptions.Which which;

    @Mixin
    RestoreTargetOptions.Refinement refinement;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "also check an in-place restore of this data directory")
    Path dataDir;

    @Option(names = "--json", description = "print JSON")
    public boolean json;

    RestoreCheckCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        List<Finding> checks = services().restores().check(Optional.ofNullable(dataDir),
                refinement.target(which), refinement.backup(),
                new ProgressPrinter(ctx.err(), System.console() != null && !json), new Cancellation());
        int exit = checks.stream().anyMatch(c -> c.level() == Finding.Level.FAIL) ? 2
                : checks.stream().anyMatch(c -> c.level() == Finding.Level.WARN) ? 1 : 0;
        if (json) {
            printJson(json(checks, exit));
            return exit;
        }
        for (Finding c : checks) {
            ctx.out().printf("[%-4s] %-20s %s%n", c.level().label(), c.check(), c.detail());
            if (!c.hint().isEmpty()) {
                ctx.out().printf("       %-20s hint: %s%n", "", c.hint());
            }
        }
        ctx.out().println(exit == 0 ? "all prerequisites met" : exit == 1 ? "a restore can run, with warnings" : "a restore would fail: fix the failures above");
        return exit;
    }

    /** What 'restore check --json' prints: the result, and each prerequisite as it has always been printed. */
    public static Map<String, Object> json(List<Finding> checks, int exit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", exit == 0 ? "pass" : exit == 1 ? "warn" : "fail");
        m.put("checks", checks.stream().map(PrerequisiteJson::of).toList());
        return m;
    }

    /** A prerequisite as 'restore check --json' has always printed it: its check as "name", no hint as null. */
    public record PrerequisiteJson(String name, Finding.Level level, String detail, String hint) {
        public static PrerequisiteJson of(Finding f) {
            return new PrerequisiteJson(f.check(), f.level(), f.detail(), f.hint().isEmpty() ? null : f.hint());
        }
    }
}
