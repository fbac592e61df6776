package io.pitrconsole.cli;

import io.pitrconsole.check.CheckItem;
import io.pitrconsole.check.CheckLevel;
import io.pitrconsole.check.CheckOptions;
import io.pitrconsole.check.CheckReport;
import io.pitrconsole.check.CheckSection;
import io.pitrconsole.cli.restore.RestoreTargetOptions;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", description = "Everything in one report: what 'archiving verify', 'restore check', 'schedule verify-deps' "
        + "and 'health' check, section by section. Exit 0 all pass, 1 warnings, 2 failures or critical.")
final class CheckCommand extends Verb {
    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the forced WAL segment to be archived (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    @Option(names = "--no-switch", description = "do not force a WAL segment switch (check the archiving settings only)")
    boolean noSwitch;

    @Option(names = "--no-server", description = "check the archive and this machine only; do not connect to the server")
    boolean noServer;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RestoreTargetOptions.Which which;

    @Mixin
    RestoreTargetOptions.Refinement refinement;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "also check an in-place restore of this data directory")
    Path dataDir;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    CheckCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        if (waitSeconds < 1) {
            throw new PitrException("--wait must be at least 1 second, not " + waitSeconds,
                    "give the seconds to wait for the forced segment, e.g. --wait 60, or skip the switch with --no-switch");
        }
        CheckOptions options = new CheckOptions(!noServer, !noSwitch, Duration.ofSeconds(waitSeconds), refinement.target(which),
                refinement.backup(), Optional.ofNullable(dataDir));
        CheckReport report = services().check()
                .check(options, new ProgressPrinter(ctx.err(), System.console() != null && !json), new Cancellation());
        if (json) {
            printJson(report);
        } else {
            print(report);
        }
        return report.exitCode();
    }

    private void print(CheckReport r) {
        int width = r.sections().stream().flatMap(s -> s.checks().stream()).mapToInt(c -> c.check().length()).max().orElse(0);
        for (CheckSection s : r.sections()) {
            ctx.out().printf("%s (%s): %s%n", s.name(), s.verb(), s.checked() ? s.result().label() : "not checked");
            for (CheckItem c : s.checks()) {
                ctx.out().printf("  %-4s  %-" + width + "s  %s%n", c.level().label(), c.check(), c.detail());
                if (!c.hint().isEmpty() && c.level() != CheckLevel.PASS) {
                    ctx.out().printf("  %-4s  %-" + width + "s  hint: %s%n", "", "", c.hint());
                }
            }
            for (String note : s.notes()) {
                ctx.out().println("  note: " + note);
            }
            ctx.out().println();
        }
        List<String> fails = r.named(CheckLevel.FAIL);
        List<String> warns = r.named(CheckLevel.WARN);
        ctx.out().println(switch (r.result()) {
            case PASS -> "check: pass";
            case WARN -> "check: warn: " + warns.size() + " warning" + (warns.size() == 1 ? "" : "s") + " (" + String.join(", ", warns) + ")";
            case FAIL -> "check: fail: " + fails.size() + " failed (" + String.join(", ", fails) + ")"
                    + (warns.isEmpty() ? "" : ", " + warns.size() + " warning" + (warns.size() == 1 ? "" : "s"));
        });
    }
}
