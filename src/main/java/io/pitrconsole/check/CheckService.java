package io.pitrconsole.check;

import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.schedule.DependencyCheck;
import io.pitrconsole.schedule.HealthService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One report of everything the console checks about an archive and its server: what 'archiving
 * verify', 'restore check', 'schedule verify-deps' and 'health' each check, run by those verbs' own
 * services and gathered section by section. Health comes last, so it sees the segment the archiving
 * check forced out.
 */
public final class CheckService {
    private final Repository repository;
    private final PgContext pg;
    private final Supplier<ConnectionSettings> connection;
    private final Clock clock;

    /** @param connection how to reach the server; not asked for when the options leave the server out */
    public CheckService(Repository repository, PgContext pg, Supplier<ConnectionSettings> connection, Clock clock) {
        this.repository = repository;
        this.pg = pg;
        this.connection = connection;
        this.clock = clock;
    }

    /** Runs every section's checks; a section that cannot run at all is reported as one failed check, never thrown. */
    public CheckReport check(CheckOptions options, ProgressListener progress, Cancellation cancel) {
        Optional<ConnectionSettings> server = options.server() ? Optional.of(connection.get()) : Optional.empty();
        List<CheckSection> sections = new ArrayList<>();

        progress.progress(0, 4, "archiving");
        if (server.isPresent()) {
            List<String> notes = options.forceSwitch() ? List.of()
                    : List.of("no segment switch forced (--no-switch): archiving was not proved end to end");
            sections.add(section("archiving", "archiving verify", notes, "server", () -> new ArchivingService(repository, pg, server.get())
                    .verify(options.switchWait(), options.forceSwitch()).stream().map(CheckItem::of).toList()));
        } else {
            sections.add(CheckSection.of("archiving", "archiving verify", List.of(),
                    List.of("not checked (--no-server): the archiving settings and a forced segment switch need the server")));
        }
        cancel.throwIfCancelled("check");

        progress.progress(1, 4, "restore prerequisites");
        sections.add(section("restore", "restore check", List.of(), "restore check", () -> new RestoreService(repository, pg)
                .check(options.dataDir(), options.target(), options.backupId(), ProgressListener.NONE, cancel)
                .stream().map(CheckItem::of).toList()));
        cancel.throwIfCancelled("check");

        progress.progress(2, 4, "dependencies of scheduled jobs");
        sections.add(section("schedule", "schedule verify-deps",
                server.isPresent() ? List.of() : List.of("server not checked (--no-server)"), "dependencies", () -> new DependencyCheck(repository, pg, server).run().stream().map(CheckItem::of).toList()));
        cancel.throwIfCancelled("check");

        progress.progress(3, 4, "health");
        sections.add(section("health", server.isPresent() ? "health" : "health --no-server", List.of(), "health", () -> new HealthService(repository, server, clock).check().checks().stream().map(CheckItem::of).toList()));
        progress.progress(4, 4, "done");
        return CheckReport.of(clock.instant(), repository.location().toString(), sections);
    }

    // A verb that refuses to run at all (no server to connect to, an unreadable archive) is that
    // section's failure, so the other sections still report.
    private static CheckSection section(String name, String verb, List<String> notes, String failedCheck,
                                        Supplier<List<CheckItem>> checks) {
        try {
            return CheckSection.of(name, verb, checks.get(), notes);
        } catch (Cancellation.CancelledException e) {
            throw e;
        } catch (PitrException e) {
            return CheckSection.of(name, verb, List.of(CheckItem.fail(failedCheck, e.getMessage(), e.hint())), notes);
        }
    }
}
