package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import java.util.EnumMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** The Restore page's nodes: the wizard (step bar, the current step, Back/Next) and the rehearsal history. */
final class RestoreWizardView {
    private RestoreWizardView() {
    }

    static TabPane build(RestoreWizardViewModel vm, Label noProfile) {
        Map<WizardStep, Node> steps = new EnumMap<>(WizardStep.class);
        steps.put(WizardStep.TARGET, TargetStepView.build(vm));
        steps.put(WizardStep.MODE, ModeStepView.build(vm));
        steps.put(WizardStep.PLAN, PlanStepView.build(vm));
        steps.put(WizardStep.RUN, RunStepView.build(vm));
        steps.put(WizardStep.REPORT, ReportStepView.build(vm));
        StackPane content = new StackPane();
        steps.values().forEach(n -> {
            n.setVisible(false);
            // only the step shown takes room, so the scroll area fits it
            n.managedProperty().bind(n.visibleProperty());
            content.getChildren().add(n);
        });
        HBox bar = new HBox(18);
        bar.setId("wizard-steps");
        bar.setAlignment(Pos.CENTER_LEFT);
        Map<WizardStep, Label> marks = new EnumMap<>(WizardStep.class);
        for (WizardStep s : WizardStep.values()) {
            Label l = new Label((s.ordinal() + 1) + "  " + s.title());
            l.setId("wizard-step-" + s.name().toLowerCase());
            marks.put(s, l);
            bar.getChildren().add(l);
        }
        Runnable showStep = () -> {
            WizardStep now = vm.stepProperty().get();
            steps.forEach((s, n) -> n.setVisible(s == now));
            marks.forEach((s, l) -> {
                l.getStyleClass().removeAll(Styles.ACCENT, Styles.TEXT_BOLD, Styles.TEXT_MUTED);
                l.getStyleClass().addAll(s == now ? new String[] {Styles.ACCENT, Styles.TEXT_BOLD} : new String[] {Styles.TEXT_MUTED});
            });
        };
        vm.stepProperty().addListener((o, a, b) -> showStep.run());
        showStep.run();

        Button back = new Button("Back", new FontIcon(Material2OutlinedAL.ARROW_BACK));
        back.setId("restore-back");
        back.disableProperty().bind(vm.canBackProperty().not());
        back.setOnAction(e -> vm.back());
        Button next = new Button("Next", new FontIcon(Material2OutlinedAL.ARROW_FORWARD));
        next.setId("restore-next");
        next.setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
        next.getStyleClass().add(Styles.ACCENT);
        next.textProperty().bind(Bindings.createStringBinding(() -> switch (vm.stepProperty().get()) {
            case PLAN -> "Start restore";
            default -> "Next";
        }, vm.stepProperty()));
        next.disableProperty().bind(vm.canNextProperty().not());
        next.setOnAction(e -> vm.next());
        next.setDefaultButton(false);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, back, spacer, next);
        buttons.setPadding(new Insets(8, 0, 0, 0));

        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        BorderPane wizard = new BorderPane(scroll, new javafx.scene.layout.VBox(6, noProfile, bar), null, buttons, null);
        wizard.setPadding(new Insets(10, 4, 4, 4));

        TabPane tabs = new TabPane();
        tabs.setId("restore-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab wizardTab = new Tab("Restore wizard", wizard);
        wizardTab.setId("tab-wizard");
        Tab historyTab = new Tab("Rehearsal history");
        historyTab.setId("tab-history");
        historyTab.setContent(HistoryView.build(vm, () -> tabs.getSelectionModel().select(wizardTab)));
        tabs.getTabs().addAll(wizardTab, historyTab);
        return tabs;
    }
}
