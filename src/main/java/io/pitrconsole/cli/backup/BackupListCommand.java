package io.pitrconsole.cli.backup;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Formats;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.ByteSize;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the archive's backups, newest first.")
public final class BackupListCommand extends Verb {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    BackupListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        List<CatalogEntry> entries = services().backups().list();
        if (json) {
            printJson(Map.of("backups", entries.stream().map(BackupListCommand::jsonOf).toList()));
            return 0;
        }
        if (entries.isEmpty()) {
            ctx.out().println("no backups in " + repository().location());
            return 0;
        }
        String fmt = "%-24s %-25s %10s %10s %-5s %3s %-9s %s%n";
        ctx.out().printf(fmt, "ID (UTC)", "STARTED", "SIZE", "ORIGINAL", "COMPR", "TL", "STATUS", "VERIFIED");
        for (CatalogEntry e : entries) {
            if (e.record().isEmpty()) {
                ctx.out().printf(fmt, e.id(), "-", "-", "-", "-", "-", "unreadable", e.problem().orElse(""));
                continue;
            }
            BackupRecord r = e.record().get();
            ctx.out().printf(fmt, r.id(), Formats.time(r.startTime()), ByteSize.of(r.sizeBytes()).human(),
                    ByteSize.of(r.originalSizeBytes()).human(), r.compression(), r.timeline() == null ? "-" : r.timeline(),
                    r.status().label(), r.lastVerified() == null ? "never" : Formats.time(r.lastVerified()));
        }
        return 0;
    }

    private static Object jsonOf(CatalogEntry e) {
        if (e.record().isPresent()) {
            return e.record().get();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("status", "unreadable");
        m.put("problem", e.problem().orElse(""));
        return m;
    }
}
