package io.pitrconsole.ui.restore;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.window.RecoveryWindows;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the restore wizard needs from the services of one cluster profile. */
public interface RestoreBackend {
    /** The profile's name: what an in-place restore asks the user to type. */
    String clusterName();

    ConnectionSettings connection();

    Optional<Path> dataDirectory();

    RecoveryWindows windows(ProgressListener progress, Cancellation cancel);

    RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel);

    RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel);

    List<RestoreReport> history();

    Path discard(Path sandbox);

    RestoreReport rollback(String restoreId);

    Path exportHtml(RestoreReport report);
}
