package io.pitrconsole.ui.shell;

import io.pitrconsole.ui.Page;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.Ikon;

/** A page that says plainly that it does not exist yet, rather than pretending. */
public final class PlaceholderPage implements Page {
    private final String title;
    private final Ikon icon;
    private final String text;
    private Node view;

    public PlaceholderPage(String title, Ikon icon, String text) {
        this.title = title;
        this.icon = icon;
        this.text = text;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Ikon icon() {
        return icon;
    }

    @Override
    public Node view() {
        if (view == null) {
            Label l = new Label(text);
            l.getStyleClass().add("text-muted");
            view = new StackPane(l);
        }
        return view;
    }
}
