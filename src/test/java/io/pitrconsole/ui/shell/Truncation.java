package io.pitrconsole.ui.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;

/**
 * Finds text the user cannot read whole: a Labeled whose skin draws less than its text (JavaFX
 * clips it to "..." when the control is narrower than the text), and a text field whose prompt is
 * wider than the field.
 */
public final class Truncation {
    private Truncation() {
    }

    /** Every shown Labeled under root that passes the filter and is drawn cut, described for an assertion message. */
    public static List<String> labeleds(Node root, Predicate<Labeled> which) {
        List<String> cut = new ArrayList<>();
        visit(root, n -> {
            if (n instanceof Labeled l && which.test(l) && shown(l) && l.getText() != null && !l.getText().isEmpty()) {
                for (Node c : l.getChildrenUnmodifiable()) {
                    // the skin's own text node, not a graphic (an icon font glyph is a Text too)
                    if (c instanceof Text t && c.getClass().getSimpleName().equals("LabeledText") && c.isVisible()
                            && !drawnWhole(l, t.getText())) {
                        cut.add(describe(l) + " shows '" + t.getText() + "' of '" + l.getText() + "' (width " + Math.round(l.getWidth()) + ")");
                    }
                }
            }
        });
        return cut;
    }

    /** Text fields under root whose prompt text does not fit inside them. */
    public static List<String> prompts(Node root) {
        List<String> cut = new ArrayList<>();
        visit(root, n -> {
            if (n instanceof TextField f && shown(f) && f.getPromptText() != null && !f.getPromptText().isEmpty()) {
                Text probe = new Text(f.getPromptText());
                probe.setFont(f.getFont());
                double room = f.getWidth() - f.snappedLeftInset() - f.snappedRightInset();
                if (probe.getLayoutBounds().getWidth() > room + 0.5) {
                    cut.add(describe(f) + " prompt '" + f.getPromptText() + "' needs " + Math.round(probe.getLayoutBounds().getWidth())
                            + " px, has " + Math.round(room));
                }
            }
        });
        return cut;
    }

    /** True when the node is inside a table's column header (the header's own label). */
    public static boolean inColumnHeader(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p.getStyleClass().contains("column-header")) {
                return true;
            }
        }
        return false;
    }

    /** True when the node is inside the node with this id. */
    public static boolean inside(Node n, String id) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (id.equals(p.getId())) {
                return true;
            }
        }
        return false;
    }

    private static boolean drawnWhole(Labeled l, String drawn) {
        String text = l.getText();
        // a parsed mnemonic drops its underscore from what is drawn
        return text.equals(drawn) || l.isMnemonicParsing() && text.replaceFirst("_", "").equals(drawn);
    }

    private static boolean shown(Node n) {
        if (n.getScene() == null) {
            return false;
        }
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Node n) {
        String id = n.getId();
        for (Node p = n; id == null && p != null; p = p.getParent()) {
            id = p.getId() == null ? null : "in #" + p.getId();
        }
        return n.getClass().getSimpleName() + (id == null ? "" : " " + (id.startsWith("in ") ? id : "#" + id));
    }

    private static void visit(Node n, java.util.function.Consumer<Node> each) {
        each.accept(n);
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                visit(c, each);
            }
        }
    }
}
