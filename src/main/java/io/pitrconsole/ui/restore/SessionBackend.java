package io.pitrconsole.ui.restore;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.ui.ClusterSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The wizard's services over the active cluster session. */
final class SessionBackend implements RestoreBackend {
    private final ClusterSession session;

    SessionBackend(ClusterSession session) {
        this.session = session;
    }

    ClusterSession session() {
        return session;
    }

    @Override
    public String clusterName() {
        return session.name();
    }

    @Override
    public ConnectionSettings connection() {
        return session.connection();
    }

    @Override
    public Optional<Path> dataDirectory() {
        return session.dataDirectory();
    }

    @Override
    public RecoveryWindows windows(ProgressListener progress, Cancellation cancel) {
        return session.windows().windows(progress, cancel);
    }

    @Override
    public RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel) {
        return session.restores().plan(request, progress, cancel);
    }

    @Override
    public RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel) {
        return session.restores().run(plan, listener, cancel);
    }

    @Override
    public List<RestoreReport> history() {
        return session.restores().history();
    }

    @Override
    public Path discard(Path sandbox) {
        return session.restores().discard(sandbox);
    }

    @Override
    public RestoreReport rollback(String restoreId) {
        return session.restores().rollback(Optional.of(restoreId));
    }

    @Override
    public Path exportHtml(RestoreReport report) {
        return session.restores().exportHtml(report);
    }
}
