package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.RecoveryTarget;
import io.pitrconsole.ui.ClusterSession;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Page;
import io.pitrconsole.ui.Pages;
import javafx.application.Platform;
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
