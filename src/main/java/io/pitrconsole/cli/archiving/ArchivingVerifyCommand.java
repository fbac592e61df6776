package io.pitrconsole.cli.archiving;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.FindingPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.Finding;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check the settings, the archive's permissions and that a forced segment switch gets archived.")
public final class ArchivingVerifyCommand extends Verb {
    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60", description = "how long to wait for the segment (default: 60)")
    long waitSeconds;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    ArchivingVerifyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        List<Finding> findings = services().archiving().verify(Duration.ofSeconds(waitSeconds));
        if (json) {
            printJson(findings);
        } else {
            FindingPrinter.print(ctx.out(), findings);
        }
        return findings.stream().anyMatch(f -> f.level() == Finding.Level.FAIL) ? 1 : 0;
    }
}
