package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.RecoveryTarget;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Page;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.Notice;
import java.time.Instant;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.event.EventHandler;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The Restore page: the guided restore wizard over the active profile's archive, and its
 * rehearsal history. Takes restore targets other pages request ("restore to here").
 */
public final class RestorePage implements Page {
    private final ConsoleModel model;
    private final RestoreWizardViewModel vm;
    private final Label noProfile = new Label();
    private Node view;

    public RestorePage(ConsoleModel model) {
        this.model = model;
        this.vm = new RestoreWizardViewModel(new FxJobs(model.tasks()), Platform::runLater);
        model.sessionProperty().addListener((o, a, s) -> useSession(s));
        model.restoreTargetRequestProperty().addListener((o, a, t) -> take(t));
    }

    public RestoreWizardViewModel viewModel() {
        return vm;
    }

    @Override
    public String title() {
        return Pages.RESTORE;
    }

    @Override
    public Ikon icon() {
        return Material2OutlinedMZ.RESTORE;
    }

    @Override
    public Node view() {
        if (view == null) {
            noProfile.setId("restore-no-profile");
            noProfile.getStyleClass().add(Styles.WARNING);
            noProfile.managedProperty().bind(noProfile.visibleProperty());
            view = RestoreWizardView.build(vm, noProfile);
            guardWindowClose(view);
            useSession(model.sessionProperty().get());
            take(model.restoreTargetRequestProperty().get());
        }
        return view;
    }

    @Override
    public void refresh() {
        if (vm.backendProperty().get() != null) {
            vm.refresh();
        }
    }

    private void useSession(ClusterSession s) {
        RestoreBackend current = vm.backendProperty().get();
        if (s == null || !s.hasArchive()) {
            noProfile.setText(s == null ? "No cluster profile is active: add one under Settings."
                    : "Profile '" + s.name() + "' has no archive directory: set one under Settings > Profiles.");
            noProfile.setVisible(true);
            vm.backendProperty().set(null);
            return;
        }
        noProfile.setVisible(false);
        if (!(current instanceof SessionBackend sb) || sb.session() != s) {
            vm.backendProperty().set(new SessionBackend(s));
        }
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

    /** A target another page asked for: the wizard starts over with it, and the request is used up. */
    private void take(RecoveryTarget t) {
        if (t == null || view == null) {
            return;
        }
        useSession(model.sessionProperty().get());
        vm.startFrom(t);
        model.restoreTargetRequestProperty().set(null);
    }
}
