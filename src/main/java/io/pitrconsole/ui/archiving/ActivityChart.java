package io.pitrconsole.ui.archiving;

import atlantafx.base.theme.Styles;
import io.pitrconsole.archiving.ArchiverStats;
import io.pitrconsole.archiving.HourlyCount;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Segments archived per hour (from the archive's file times) as bars; the hour of the last failed
 * attempt is marked in a second series, since pg_stat_archiver keeps no history of failures
 * beyond their count and the last one.
 */
final class ActivityChart {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("dd HH:00").withZone(ZoneId.systemDefault());

    private final ArchivingViewModel vm;
    private final BarChart<String, Number> chart;

    ActivityChart(ArchivingViewModel vm) {
        this.vm = vm;
        CategoryAxis x = new CategoryAxis();
        x.setLabel("hour (local time)");
        NumberAxis y = new NumberAxis();
        y.setLabel("segments");
        y.setMinorTickVisible(false);
        // segments are whole: label only whole ticks when the axis picks steps of 0.5
        y.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number n) {
                return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : "";
            }

            @Override
            public Number fromString(String s) {
                return Long.parseLong(s);
            }
        });
        chart = new BarChart<>(x, y);
        chart.setId("archiving-chart");
        chart.setAnimated(false);
        chart.setLegendVisible(true);
        chart.setPrefHeight(280);
        chart.setCategoryGap(2);
        chart.setBarGap(0);
        // archived segments in the theme's accent colour, the failure mark in its danger colour (bars and legend)
        chart.setStyle("-color-chart-1: -color-accent-emphasis; -color-chart-2: -color-danger-emphasis;");
        vm.activity().addListener((ListChangeListener<HourlyCount>) c -> redraw());
        vm.statsProperty().addListener((obs, was, now) -> redraw());
    }

    Node node() {
        ToggleGroup range = new ToggleGroup();
        ToggleButton day = new ToggleButton("24 h");
        day.setId("activity-24");
        ToggleButton twoDays = new ToggleButton("48 h");
        twoDays.setId("activity-48");
        day.setToggleGroup(range);
        twoDays.setToggleGroup(range);
        day.getStyleClass().add(Styles.LEFT_PILL);
        twoDays.getStyleClass().add(Styles.RIGHT_PILL);
        (vm.hoursProperty().get() == 48 ? twoDays : day).setSelected(true);
        day.setOnAction(e -> select(day, 24));
        twoDays.setOnAction(e -> select(twoDays, 48));
        Label title = new Label("Segments archived per hour");
        title.getStyleClass().add(Styles.TITLE_4);
        HBox head = new HBox(12, title, new HBox(day, twoDays));
        head.setAlignment(Pos.CENTER_LEFT);
        return new VBox(8, head, chart);
    }

    private void select(ToggleButton b, int hours) {
        b.setSelected(true);
        vm.hoursProperty().set(hours);
    }

    private void redraw() {
        List<HourlyCount> hours = List.copyOf(vm.activity());
        ArchiverStats s = vm.statsProperty().get();
        Instant lastFailure = s == null ? null : s.lastFailedTime();
        // fresh series each time: refilling a live series of a category chart leaves stale bars behind
        XYChart.Series<String, Number> archived = new XYChart.Series<>();
        archived.setName("segments archived");
        XYChart.Series<String, Number> failure = new XYChart.Series<>();
        failure.setName("last failed attempt");
        for (HourlyCount h : hours) {
            String label = HOUR.format(h.hourStart());
            archived.getData().add(new XYChart.Data<>(label, h.segments()));
            boolean failedHere = lastFailure != null && !lastFailure.isBefore(h.hourStart())
                    && lastFailure.isBefore(h.hourStart().plus(Duration.ofHours(1)));
            failure.getData().add(new XYChart.Data<>(label, failedHere ? 1 : 0));
        }
        ((CategoryAxis) chart.getXAxis()).getCategories().setAll(archived.getData().stream().map(XYChart.Data::getXValue).toList());
        chart.getData().setAll(List.of(archived, failure));
    }
}
