package io.pitrconsole.cli.restore;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.run.ClusterVerifier;
import io.pitrconsole.recovery.run.Verification;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Run a rehearsal's verification queries against a running restored cluster (-h/-p, or --report ID "
        + "of a kept rehearsal). Exit 0 when every check passes, else 1.")
public final class RestoreVerifyCommand extends Verb {
    @Option(names = "--report", paramLabel = "ID", description = "verify the kept rehearsal of this restore (see 'restore history')")
    String reportId;

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "public", description = "count the rows of every table in it (default public)")
    String schema;

    @Option(names = "--expect-timeline", paramLabel = "TLI", description = "fail unless the cluster is on this timeline")
    Integer expectTimeline;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    RestoreVerifyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        OptionalInt tli = expectTimeline == null ? OptionalInt.empty() : OptionalInt.of(expectTimeline);
        String database = global.database == null ? "postgres" : global.database;
        Verification v;
        if (reportId != null) {
            v = services().restores().verifyKept(reportId, Optional.ofNullable(global.user), database, schema, tli);
        } else {
            if (global.port == null) {
                throw new PitrException("restore verify needs the restored cluster's port", "pass -p/--port N (and -h HOST), or --report ID of a kept rehearsal");
            }
            v = new ClusterVerifier(pg()).verify(connection(), database, schema, tli);
        }
        if (json) {
            printJson(v);
            return v.ok() ? 0 : 1;
        }
        ctx.out().println("verifying " + v.server());
        for (RestoreReport.Check c : v.checks()) {
            ctx.out().printf("[%-4s] %-18s %s%n", c.label(), c.name(), c.detail());
        }
        ctx.out().println(v.ok() ? "all checks passed" : "verification FAILED");
        return v.ok() ? 0 : 1;
    }
}
