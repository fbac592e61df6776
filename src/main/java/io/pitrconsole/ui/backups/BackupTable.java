package io.pitrconsole.ui.backups;

import atlantafx.base.theme.Styles;
import io.pitrconsole.ui.DisplayFormats;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** The backups table: raw values in the cells (so sorting is by time and bytes), formatted for reading. */
final class BackupTable extends TableView<BackupRow> {

    BackupTable(BackupsViewModel vm) {
        setId("backup-table");
        SortedList<BackupRow> sorted = new SortedList<>(vm.rows());
        sorted.comparatorProperty().bind(comparatorProperty());
        setItems(sorted);
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(this);
        getStyleClass().add(Styles.STRIPED);

        TableColumn<BackupRow, String> id = column("ID", BackupRow::id, BackupTable::orDash);
        id.setPrefWidth(190);
        TableColumn<BackupRow, Instant> time = column("Time", BackupRow::started, DisplayFormats::time);
        time.setPrefWidth(150);
        time.setSortType(TableColumn.SortType.DESCENDING);
        TableColumn<BackupRow, Long> size = column("Size", BackupRow::sizeBytes, DisplayFormats::bytes);
        TableColumn<BackupRow, Double> ratio = column("Ratio", BackupRow::ratio,
                r -> r <= 0 ? "-" : String.format(Locale.ROOT, "%.1fx", r));
        ratio.setPrefWidth(60);
        TableColumn<BackupRow, String> compression = column("Compression", BackupRow::compression, BackupTable::orDash);
        TableColumn<BackupRow, Integer> timeline = column("Timeline", BackupRow::timeline, t -> t == null ? "-" : String.valueOf(t));
        timeline.setPrefWidth(70);
        TableColumn<BackupRow, String> status = column("Status", BackupRow::status, BackupTable::orDash);
        status.setCellFactory(c -> new StatusCell());
        TableColumn<BackupRow, Instant> verified = column("Verified", BackupRow::verified,
                t -> t == null ? "never" : DisplayFormats.time(t));
        verified.setPrefWidth(150);
        getColumns().setAll(java.util.List.of(id, time, size, ratio, compression, timeline, status, verified));

        Label none = new Label("No backups in this archive yet. Create the first one.");
        none.setId("backups-none");
        setPlaceholder(none);

        getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> vm.selectedProperty().set(row));
        vm.selectedProperty().addListener((obs, old, row) -> {
            if (getSelectionModel().getSelectedItem() != row) {
                if (row == null) {
                    getSelectionModel().clearSelection();
                } else {
                    getSelectionModel().select(row);
                }
            }
        });
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static <T> TableColumn<BackupRow, T> column(String title, Function<BackupRow, T> value, Function<T, String> text) {
        TableColumn<BackupRow, T> c = new TableColumn<>(title);
        c.setId("col-" + title.toLowerCase(Locale.ROOT));
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                // the text function decides how "unknown" reads ("never" for verification, "-" elsewhere)
                setText(empty ? null : text.apply(item));
            }
        });
        return c;
    }

    /** Status in colour: red for failed, corrupt and unreadable, green for verified. */
    private static final class StatusCell extends TableCell<BackupRow, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll(Styles.DANGER, Styles.SUCCESS);
            setText(empty ? null : item);
            if (!empty && item != null) {
                if (item.equals("failed") || item.equals("corrupt") || item.equals(BackupRow.UNREADABLE)) {
                    getStyleClass().add(Styles.DANGER);
                } else if (item.equals("verified")) {
                    getStyleClass().add(Styles.SUCCESS);
                }
            }
        }
    }
}
