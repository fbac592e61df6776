package io.pitrconsole.ui.shell;

import atlantafx.base.controls.Notification;
import atlantafx.base.theme.Styles;
import io.pitrconsole.ui.Notice;
import javafx.animation.PauseTransition;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * Notifications in the window's top-right corner. Errors stay until closed (the user must be able
 * to read the hint); the rest fade after a few seconds.
 */
final class NoticeArea extends VBox {
    private static final int MAX_SHOWN = 4;

    NoticeArea(ObservableList<Notice> notices) {
        setSpacing(8);
        setAlignment(Pos.TOP_RIGHT);
        setPickOnBounds(false);
        setMaxWidth(440);
        setMaxHeight(USE_PREF_SIZE);
        notices.addListener((ListChangeListener<Notice>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(this::show);
            }
        });
    }

    private void show(Notice n) {
        String text = n.message() + (n.hint().isBlank() ? "" : "\nHint: " + n.hint());
        Notification box = new Notification(text, new FontIcon(switch (n.level()) {
            case ERROR -> Material2OutlinedAL.ERROR_OUTLINE;
            case WARNING -> Material2OutlinedMZ.WARNING;
            case SUCCESS -> Material2OutlinedAL.CHECK_CIRCLE;
            case INFO -> Material2OutlinedAL.INFO;
        }));
        box.getStyleClass().add(Styles.ELEVATED_1);
        box.getStyleClass().add(switch (n.level()) {
            case ERROR -> Styles.DANGER;
            case WARNING -> Styles.WARNING;
            case SUCCESS -> Styles.SUCCESS;
            case INFO -> Styles.ACCENT;
        });
        box.setId("notice");
        box.setPrefWidth(420);
        box.setMaxHeight(USE_PREF_SIZE);
        box.setOnClose(e -> getChildren().remove(box));
        getChildren().add(box);
        if (getChildren().size() > MAX_SHOWN) {
            getChildren().remove(0);
        }
        if (n.level() != Notice.Level.ERROR) {
            PauseTransition later = new PauseTransition(Duration.seconds(6));
            later.setOnFinished(e -> getChildren().remove(box));
            later.play();
        }
    }
}
