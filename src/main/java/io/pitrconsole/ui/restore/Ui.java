package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Small node helpers shared by the wizard's step views. */
final class Ui {
    private Ui() {
    }

    static Label label(String id, String... styles) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.getStyleClass().addAll(styles);
        return l;
    }

    static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TITLE_4);
        return l;
    }

    static Label muted(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        return l;
    }

    /** A two-column form: caption, then the node. */
    static GridPane form(List<String> captions, List<Node> nodes) {
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        for (int i = 0; i < captions.size(); i++) {
            Label c = new Label(captions.get(i));
            c.getStyleClass().add(Styles.TEXT_BOLD);
            c.setMinWidth(Region.USE_PREF_SIZE);
            g.addRow(i, c, nodes.get(i));
        }
        return g;
    }

    static VBox column(Node... nodes) {
        VBox v = new VBox(10, nodes);
        v.setPadding(new Insets(8, 0, 8, 0));
        return v;
    }

    /** Colours a label by a tri-state: true success, false danger, null plain. */
    static void tone(Label l, Boolean ok) {
        l.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        if (ok != null) {
            l.getStyleClass().add(ok ? Styles.SUCCESS : Styles.DANGER);
        }
    }

    static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "";
        }
        return s < 60 ? String.format("%.1f s", s) : String.format("%d min %02d s", (long) s / 60, (long) s % 60);
    }
}
