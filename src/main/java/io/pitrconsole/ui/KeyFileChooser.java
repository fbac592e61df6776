package io.pitrconsole.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * How the console asks the user for an encrypted repository's key file: the desktop's file chooser
 * in the window; tests answer with a file of their own.
 */
@FunctionalInterface
public interface KeyFileChooser {
    /** The file the user picked, or empty when they cancelled. */
    Optional<Path> choose(Window owner);

    /** The desktop's file chooser. */
    KeyFileChooser DESKTOP = owner -> {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose the repository's key file");
        File picked = chooser.showOpenDialog(owner);
        return Optional.ofNullable(picked).map(File::toPath);
    };
}
