package io.pitrconsole.ui.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Page;
import io.pitrconsole.ui.UiPreferences;
import java.util.List;
import java.util.Locale;
import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The console window: navigation on the left, the current page in the centre, notifications on
 * top, the log pane and status bar at the bottom. Ctrl+1..7 switch pages, F5 refreshes, Ctrl+B
 * starts a backup. A page is refreshed when shown and, when the profile changes, only the page on
 * show reloads (see {@link Page#sessionChanged()}).
 */
public final class MainWindow {
    /** The console's own styles over the theme's (for the ControlsFX parts); pop-ups take it too. */
    static final String STYLESHEET = MainWindow.class.getResource("/io/pitrconsole/ui/shell/console.css").toExternalForm();

    private final ConsoleModel model;
    private final List<Page> pages;
    private final BorderPane root = new BorderPane();
    private final StackPane pageHost = new StackPane();
    private final Label pageTitle = new Label();
    private final ToggleGroup nav = new ToggleGroup();
    private Page current;

    public MainWindow(ConsoleModel model, List<Page> pages) {
        this.model = model;
        this.pages = List.copyOf(pages);
        build();
        model.navigatorProperty().set(this::show);
        model.sessionProperty().addListener((obs, old, now) -> sessionChanged());
    }

    /**
     * One place decides what a profile switch reloads: the page on show, nothing else. Hidden
     * pages only drop the previous profile's data; showing one refreshes it.
     */
    private void sessionChanged() {
        for (Page p : pages) {
            p.sessionChanged();
        }
        if (current != null) {
            current.refresh();
        }
    }

    private void build() {
        VBox navigation = new VBox(4);
        navigation.setId("navigation");
        navigation.setPadding(new Insets(12, 8, 12, 8));
        navigation.setPrefWidth(200);
        navigation.getStyleClass().add("navigation");
        for (int i = 0; i < pages.size(); i++) {
            Page p = pages.get(i);
            ToggleButton b = new ToggleButton(p.title(), new FontIcon(p.icon()));
            b.setId("nav-" + slug(p.title()));
            b.setUserData(p);
            b.setToggleGroup(nav);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.getStyleClass().add(Styles.FLAT);
            b.setOnAction(e -> show(p.title()));
            navigation.getChildren().add(b);
        }
        // a selected nav button must stay selected: clicking it again would leave no page marked
        nav.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null && old != null) {
                old.setSelected(true);
            }
        });

        pageTitle.getStyleClass().add(Styles.TITLE_3);
        pageTitle.setId("page-title");
        VBox centre = new VBox(8, pageTitle, pageHost);
        centre.setPadding(new Insets(12, 16, 8, 16));
        VBox.setVgrow(pageHost, Priority.ALWAYS);

        ListView<String> logPane = new ListView<>(model.log());
        logPane.setId("log-pane");
        logPane.setPrefHeight(160);
        logPane.getStyleClass().add(Styles.DENSE);
        ConsoleStatusBar status = new ConsoleStatusBar(model);
        logPane.visibleProperty().bind(status.logToggle().selectedProperty());
        logPane.managedProperty().bind(logPane.visibleProperty());
        model.log().addListener((javafx.collections.ListChangeListener<String>) c -> logPane.scrollTo(model.log().size() - 1));

        NoticeArea notices = new NoticeArea(model.notices());
        StackPane.setAlignment(notices, Pos.TOP_RIGHT);
        StackPane.setMargin(notices, new Insets(12));
        StackPane layered = new StackPane(centre, notices);

        root.setLeft(navigation);
        root.setCenter(layered);
        root.setBottom(new VBox(logPane, status));
        if (!pages.isEmpty()) {
            show(pages.get(0).title());
        }
    }

    static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** Shows the page with that title and refreshes it. */
    public void show(String title) {
        for (var t : nav.getToggles()) {
            Page p = (Page) t.getUserData();
            if (p.title().equals(title)) {
                t.setSelected(true);
                current = p;
                pageTitle.setText(p.title());
                pageHost.getChildren().setAll(p.view());
                p.refresh();
                return;
            }
        }
    }

    public Page currentPage() {
        return current;
    }

    public BorderPane root() {
        return root;
    }

    /** A scene with the shortcuts installed. */
    public Scene scene(double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.getStylesheets().add(STYLESHEET);
        for (int i = 0; i < pages.size() && i < 9; i++) {
            String title = pages.get(i).title();
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)),
                    KeyCombination.SHORTCUT_DOWN), () -> show(title));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> {
            if (current != null) {
                current.refresh();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN), () -> {
            Runnable backup = model.backupNowActionProperty().get();
            if (backup != null) {
                backup.run();
            }
        });
        return scene;
    }

    /** Applies the theme now and whenever the preference changes. */
    public static void followTheme(ConsoleModel model) {
        Runnable apply = () -> Application.setUserAgentStylesheet(model.preferencesProperty().get().dark()
                ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        apply.run();
        model.preferencesProperty().addListener((obs, old, now) -> apply.run());
    }

    /** Puts the window on the stage where it was last time, and remembers where it is on close. */
    public void install(Stage stage) {
        UiPreferences prefs = model.preferencesProperty().get();
        stage.setTitle("PITR Console");
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            var url = MainWindow.class.getResource("/io/pitrconsole/ui/icons/pitr-console-" + size + ".png");
            if (url != null) {
                stage.getIcons().add(new Image(url.toExternalForm()));
            }
        }
        stage.setScene(scene(prefs.windowWidth(), prefs.windowHeight()));
        // a monitor unplugged since last time must not leave the window off screen
        if (prefs.windowX() != null && prefs.windowY() != null && !javafx.stage.Screen.getScreensForRectangle(
                prefs.windowX(), prefs.windowY(), Math.min(100, prefs.windowWidth()), Math.min(100, prefs.windowHeight())).isEmpty()) {
            stage.setX(prefs.windowX());
            stage.setY(prefs.windowY());
        }
        stage.setOnHiding(e -> model.savePreferences(model.preferencesProperty().get()
                .withWindow(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight())));
    }
}
