package io.pitrconsole.ui;

import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/** One view of the console, shown in the main window's centre and listed in the navigation. */
public interface Page {
    /** The title in the navigation and the window; also how tests find it. */
    String title();

    Ikon icon();

    /** The page's nodes; built once, on first call. */
    Node view();

    /** Reloads the page's data (F5, and whenever the page is shown or the profile changes). */
    default void refresh() {
    }
}
