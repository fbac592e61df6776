package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.ViewModelPage;
import java.time.Instant;
import javafx.beans.value.ChangeListener;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The Restore page: the guided restore wizard over the active profile's archive, and its
 * rehearsal history. Takes restore targets other pages request ("restore to here").
 */
public final class RestorePage extends ViewModelPage<RestoreWizardViewModel> {
    private final Label noProfile = new Label();

    public RestorePage(ConsoleModel model) {
        super(model, Pages.RESTORE, Material2OutlinedMZ.RESTORE,
                new RestoreWizardViewModel(model.background()));
        askForTheKeyFirst("restore");
        // an in-place restore or a rollback restarts the cluster, maybe on a new timeline: the status bar must say so
        vm.onServerRestarted(model::checkConnection);
        model.restoreTargetRequestProperty().addListener((o, a, t) -> take(t));
    }

    @Override
    protected Node build() {
        noProfile.setId("restore-no-profile");
        noProfile.getStyleClass().add(Styles.WARNING);
        noProfile.managedProperty().bind(noProfile.visibleProperty());
        Node view = RestoreWizardView.build(vm, noProfile);
        guardWindowClose(view);
        return view;
    }

    /**
     * Hands the wizard the active profile's services (a new backend reloads by itself), else reloads;
     * an encrypted archive without its key gets no backend, and the page asks for the key.
     */
    @Override
    public void refresh() {
        whenKeyHeld(this::useActiveSession, () -> vm.backendProperty().set(null));
    }

    private void useActiveSession() {
        boolean fresh = useSession(model.session().orElse(null));
        take(model.restoreTargetRequestProperty().get());
        if (!fresh && vm.backendProperty().get() != null) {
            vm.refresh();
        }
    }

    /** Shows why there is no wizard, or gives the wizard that session's services; true when they are new. */
    private boolean useSession(ClusterSession s) {
        RestoreBackend current = vm.backendProperty().get();
        if (s == null || !s.hasArchive()) {
            noProfile.setText(s == null ? "No cluster profile is active: add one under Settings."
                    : "Profile '" + s.name() + "' has no archive directory: set one under Settings > Profiles.");
            noProfile.setVisible(true);
            vm.backendProperty().set(null);
            return false;
        }
        noProfile.setVisible(false);
        if (!(current instanceof SessionBackend sb) || sb.session() != s) {
            vm.backendProperty().set(new SessionBackend(s));
            return true;
        }
        return false;
    }

    /**
     * Closing the window ends the process, cleanup or not: while a restore runs, closing is refused
     * with a notice. Cancelled, a restore cleans up (an in-place one puts the old data directory back) first.
     */
    private void guardWindowClose(Node node) {
        EventHandler<WindowEvent> guard = e -> {
            if (vm.run().runningProperty().get()) {
                e.consume();
                model.notify(new Notice(Notice.Level.WARNING, "A restore is running; the window stays open until it ends",
                        "cancel it on the Restore page and wait for its report: a cancelled restore cleans up first (an in-place"
                                + " restore puts the old data directory back and restarts its server)", Instant.now()));
            }
        };
        ChangeListener<Window> onWindow = (o, old, w) -> {
            if (old != null) {
                old.removeEventFilter(WindowEvent.WINDOW_CLOSE_REQUEST, guard);
            }
            if (w != null) {
                w.addEventFilter(WindowEvent.WINDOW_CLOSE_REQUEST, guard);
            }
        };
        node.sceneProperty().addListener((o, old, scene) -> {
            if (old != null) {
                old.windowProperty().removeListener(onWindow);
                onWindow.changed(null, old.getWindow(), null);
            }
            if (scene != null) {
                scene.windowProperty().addListener(onWindow);
                onWindow.changed(null, null, scene.getWindow());
            }
        });
    }

    /**
     * A target another page asked for: the wizard starts over with it, and the request is used up.
     * Before the page was first shown the request waits, and showing the page takes it.
     */
    private void take(RecoveryTarget t) {
        if (t == null || builtView() == null) {
            return;
        }
        vm.startFrom(t);
        model.restoreTargetRequestProperty().set(null);
    }
}
