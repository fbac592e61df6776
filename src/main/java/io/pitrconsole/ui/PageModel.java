package io.pitrconsole.ui;

/** The state behind a {@link ViewModelPage}: loaded from the active session when the page is shown. */
public interface PageModel {
    /** Reloads from the active session; slow work runs in tasks. */
    void refresh();

    /** The active session changed: drop what was loaded for the previous one, at once and without service calls. */
    void sessionChanged();
}
