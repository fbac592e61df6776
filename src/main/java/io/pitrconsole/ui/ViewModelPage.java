package io.pitrconsole.ui;

import javafx.scene.Node;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;

/**
 * A page over one view model: title and icon, nodes built on first use, and refresh and session
 * changes handed to the view model. Subclasses build the nodes and add their own actions. A page
 * that reads the archive may ask for its key first ({@link #askForTheKeyFirst}): an encrypted
 * archive the profile gives no key for (or not every older key) is then not read, and the page
 * shows the key panel the Backups page shows, so the key can be chosen from any page.
 */
public abstract class ViewModelPage<M extends PageModel> implements Page {
    protected final ConsoleModel model;
    protected final M vm;
    private final String title;
    private final Ikon icon;
    private Node view;
    private RepositoryEncryptionModel keyGate;
    private String keyPanelId;

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
            view = keyGate == null ? build() : withKeyPanel(build());
        }
        return view;
    }

    /**
     * From now on, each refresh first reads whether the archive is encrypted with a key the
     * profile does not give; if so the view model is not refreshed but told to forget what it
     * showed, and the page shows the key panel (ids {@code idPrefix-key-needed}, {@code idPrefix-choose-key}).
     * Call from the constructor.
     */
    protected final void askForTheKeyFirst(String idPrefix) {
        keyGate = new RepositoryEncryptionModel(model, model.background());
        keyPanelId = idPrefix;
    }

    /** The archive's encryption as this page read it; null for a page that does not ask for the key. */
    public final RepositoryEncryptionModel keyGate() {
        return keyGate;
    }

    private Node withKeyPanel(Node content) {
        VBox box = new VBox(EncryptionViews.keyNeeded(keyGate, model, keyPanelId), content);
        VBox.setVgrow(content, Priority.ALWAYS);
        return box;
    }

    /**
     * Runs {@code readable} when the page may read the active archive, else {@code locked} (the key
     * panel shows); at once when the page does not ask for the key, or there is no archive.
     */
    protected final void whenKeyHeld(Runnable readable, Runnable locked) {
        ClusterSession s = model.session().orElse(null);
        if (keyGate == null || s == null || !s.hasArchive()) {
            if (keyGate != null) {
                keyGate.clear();
            }
            readable.run();
            return;
        }
        keyGate.load(s, readable, locked);
    }

    /** The page's nodes; called once, by the first {@link #view()}. */
    protected abstract Node build();

    /** The nodes if they have been built, else null (dialogs need their window). */
    protected final Node builtView() {
        return view;
    }

    @Override
    public void refresh() {
        whenKeyHeld(vm::refresh, vm::sessionChanged);
    }

    @Override
    public void sessionChanged() {
        if (keyGate != null) {
            keyGate.clear();
        }
        vm.sessionChanged();
    }
}
