package io.pitrconsole.ui;

import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/**
 * One view of the console, shown in the main window's centre and listed in the navigation. The
 * shell drives its data: it refreshes a page whenever the page is shown, and when the active
 * profile changes it tells every page so and refreshes only the page on show.
 */
public interface Page {
    /** The title in the navigation and the window; also how tests find it. */
    String title();

    Ikon icon();

    /** The page's nodes; built once, on first call. */
    Node view();

    /** Reloads the page's data (F5, whenever the page is shown, and when the profile changes while it is shown). */
    default void refresh() {
    }

    /**
     * The active profile changed: forget what was shown of the previous one, at once and without
     * service calls, so that a hidden page never shows another cluster's data when it is next
     * shown. The shell calls this on every page, then refreshes the page on show.
     */
    default void sessionChanged() {
    }
}
