package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.report.RestoreReport;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

/** Past restores of this archive: pass or fail, what they restored, and the trend of the rehearsals' measured RTO. */
final class HistoryView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    private HistoryView() {
    }

    static Node build(RestoreWizardViewModel vm, Runnable showWizard) {
        ReportActions actions = vm.report();
        TableView<RestoreReport> table = new TableView<>(actions.history());
        table.setId("history-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(table);
        table.getStyleClass().add(Styles.DENSE);
        table.setPlaceholder(new Label("no restores of this archive yet"));
        table.getColumns().addAll(List.of(
                column("Started", r -> r.startedAt() == null ? "" : WHEN.format(r.startedAt().atZone(ZoneId.systemDefault())), 150),
                column("Result", HistoryView::result, 90),
                column("Mode", r -> r.mode().label(), 80),
                column("RTO", r -> r.rtoSeconds() == null ? "" : Ui.seconds(r.rtoSeconds()), 80),
                column("Checks", r -> r.checks().isEmpty() ? "" : r.checks().stream().filter(RestoreReport.Check::ok).count() + "/" + r.checks().size(), 60),
                column("Backup", RestoreReport::backup, 170),
                column("Target", r -> r.target() + (r.error() == null ? "" : "  [" + r.error() + "]"), 300)));
        table.setRowFactory(t -> {
            javafx.scene.control.TableRow<RestoreReport> row = new javafx.scene.control.TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) {
                    vm.showReport(row.getItem());
                    showWizard.run();
                }
            });
            return row;
        });

        NumberAxis y = new NumberAxis();
        y.setLabel("RTO (s)");
        CategoryAxis x = new CategoryAxis();
        x.setLabel("rehearsal");
        LineChart<String, Number> chart = new LineChart<>(x, y);
        chart.setId("history-rto-chart");
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        chart.setPrefHeight(220);
        chart.setTitle("Measured RTO of passed rehearsals");
        actions.history().addListener((ListChangeListener<RestoreReport>) c -> plot(chart, actions.history()));
        plot(chart, actions.history());

        Button refresh = new Button("Refresh");
        refresh.setId("history-refresh");
        refresh.setOnAction(e -> actions.refreshHistory());
        VBox box = Ui.column(Ui.muted("Every restore of this archive, newest first (saved in the archive's .pitr/reports). Double-click"
                + " a row to open its report on the wizard's Report step."), table, chart, refresh);
        box.setId("restore-history");
        return box;
    }

    static String result(RestoreReport r) {
        if (r.succeeded()) {
            return r.checks().stream().allMatch(RestoreReport.Check::ok) ? "pass" : "FAIL";
        }
        return RestoreReport.ROLLED_BACK.equals(r.status()) ? "rolled back" : "FAIL";
    }

    private static void plot(LineChart<String, Number> chart, List<RestoreReport> history) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        history.stream().filter(r -> r.mode() == RestoreMode.REHEARSAL && r.succeeded() && r.rtoSeconds() != null && r.startedAt() != null)
                .sorted(Comparator.comparing(RestoreReport::startedAt))
                .forEach(r -> s.getData().add(new XYChart.Data<>(SHORT.format(r.startedAt().atZone(ZoneId.systemDefault())), r.rtoSeconds())));
        chart.getData().setAll(List.of(s));
    }

    private static TableColumn<RestoreReport, String> column(String title, java.util.function.Function<RestoreReport, String> f, double width) {
        TableColumn<RestoreReport, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
