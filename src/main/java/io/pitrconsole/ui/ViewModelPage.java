package io.pitrconsole.ui;

import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/**
 * A page over one view model: title and icon, nodes built on first use, and refresh and session
 * changes handed to the view model. Subclasses build the nodes and add their own actions.
 */
public abstract class ViewModelPage<M extends PageModel> implements Page {
    protected final ConsoleModel model;
    protected final M vm;
    private final String title;
    private final Ikon icon;
    private Node view;

    protected ViewModelPage(ConsoleModel model, String title, Ikon icon, M vm) {
        this.model = model;
        this.title = title;
        this.icon = icon;
        this.vm = vm;
    }

    public M viewModel() {
        return vm;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final Ikon icon() {
        return icon;
    }

    @Override
    public final Node view() {
        if (view == null) {
            view = build();
        }
        return view;
    }

    /** The page's nodes; called once, by the first {@link #view()}. */
    protected abstract Node build();

    /** The nodes if they have been built, else null (dialogs need their window). */
    protected final Node builtView() {
        return view;
    }

    @Override
    public void refresh() {
        vm.refresh();
    }

    @Override
    public void sessionChanged() {
        vm.sessionChanged();
    }
}
