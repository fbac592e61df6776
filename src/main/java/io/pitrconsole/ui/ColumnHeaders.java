package io.pitrconsole.ui;

import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.TableColumnHeader;

/**
 * Keeps a table's column headers readable: a constrained table shrinks its columns to fit its
 * width, and below the header's text width JavaFX cuts the title to "Compr...". Each column's
 * minimum width becomes its header's preferred width, measured in the header's own font and
 * padding once the table is styled, so no font or theme can cut it.
 */
public final class ColumnHeaders {
    /** Room for the sort arrow a sorted column's header shows beside its title. */
    private static final double SORT_ARROW = 14;

    private ColumnHeaders() {
    }

    /** Makes every column of the table at least as wide as its header's text, now and after columns change. */
    public static <S> void keepWhole(TableView<S> table) {
        Runnable fit = () -> Platform.runLater(() -> fit(table));
        table.skinProperty().addListener((obs, old, skin) -> fit.run());
        table.getColumns().addListener((ListChangeListener<javafx.scene.control.TableColumn<S, ?>>) c -> fit.run());
        table.sceneProperty().addListener((obs, old, scene) -> fit.run());
    }

    private static void fit(TableView<?> table) {
        if (table.getSkin() == null || table.getScene() == null) {
            return;
        }
        table.applyCss();
        for (Node n : table.lookupAll(".column-header")) {
            if (n instanceof TableColumnHeader h && h.getTableColumn() != null && h.lookup(".label") instanceof Label title) {
                double need = Math.ceil(title.prefWidth(-1) + h.snappedLeftInset() + h.snappedRightInset() + SORT_ARROW);
                if (h.getTableColumn().getMinWidth() < need) {
                    h.getTableColumn().setMinWidth(need);
                }
            }
        }
    }
}
