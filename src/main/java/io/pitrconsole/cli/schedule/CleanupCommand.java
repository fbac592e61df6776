package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.schedule.CleanupPlan;
import io.pitrconsole.schedule.CleanupService;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cleanup", description = "Remove backups outside the retention policy and size cap (backup_schedule.json), and WAL no kept backup needs.")
public final class CleanupCommand extends Verb {
    @Option(names = "--dry-run", description = "list what would be removed and the space it frees; change nothing")
    boolean dryRun;

    @Option(names = "--yes", description = "do not ask")
    boolean yes;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    CleanupCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        CleanupService service = services().cleanup();
        CleanupPlan plan = service.plan();
        if (dryRun || plan.isEmpty()) {
            show(plan, dryRun ? "would remove" : "removed");
            return 0;
        }
        if (!yes) {
            show(plan, "would remove");
            if (!confirm("Remove these for good? Type 'yes': ")) {
                ctx.err().println("nothing removed");
                return 1;
            }
        }
        show(service.run(), "removed");
        return 0;
    }

    private void show(CleanupPlan plan, String verb) {
        if (json) {
            printJson(plan);
            return;
        }
        PrintWriter o = ctx.out();
        plan.backups().forEach(b -> o.printf("%s backup %s  %s  (%s)%n", verb, b.name(), ByteSize.of(b.bytes()), b.reason()));
        plan.wal().forEach(w -> o.printf("%s wal    %s  %s%n", verb, w.name(), ByteSize.of(w.bytes())));
        plan.leftovers().forEach(t -> o.printf("%s leftover %s  %s%n", verb, t.name(), ByteSize.of(t.bytes())));
        plan.kept().forEach((id, why) -> o.printf("keep backup %s  (%s)%n", id, String.join(", ", why)));
        plan.notes().forEach(n -> o.println("note: " + n));
        String leftovers = plan.leftovers().isEmpty() ? "" : " and " + plan.leftovers().size() + " leftover temporary files";
        o.printf("%s %d backups and %d WAL files%s, %s; %s stays%n", verb, plan.backups().size(), plan.wal().size(), leftovers,
                ByteSize.of(plan.bytesFreed()), ByteSize.of(plan.bytesAfter()));
    }
}
