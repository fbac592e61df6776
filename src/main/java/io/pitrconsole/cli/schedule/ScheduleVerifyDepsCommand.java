package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.FindingPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.Finding;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify-deps", description = "Check what scheduled jobs need: PostgreSQL programs and versions, server, archive, free space.")
public final class ScheduleVerifyDepsCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    ScheduleVerifyDepsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        List<Finding> findings = services().dependencies(true).run();
        if (json) {
            printJson(findings);
        } else {
            FindingPrinter.print(ctx.out(), findings);
        }
        return findings.stream().anyMatch(f -> f.level() == Finding.Level.FAIL) ? 1 : 0;
    }
}
