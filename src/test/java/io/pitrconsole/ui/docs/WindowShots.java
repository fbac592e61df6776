package io.pitrconsole.ui.docs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Saves what the console window shows as PNG files, once the picture has stopped changing: a page
 * that is still loading (a spinner, rows arriving) would otherwise be caught half drawn.
 */
final class WindowShots {
    private final FxRobot robot;
    private final Stage stage;
    private final Path dir;

    WindowShots(FxRobot robot, Stage stage, Path dir) throws IOException {
        this.robot = robot;
        this.stage = stage;
        this.dir = Files.createDirectories(dir);
    }

    /** Waits for the condition (polled, not slept for), naming what was awaited when it never came. */
    void await(String what, int seconds, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
                try {
                    return Boolean.TRUE.equals(condition.call());
                } catch (RuntimeException e) {
                    return false; // a node not there yet reads as "not yet"
                }
            });
        } catch (TimeoutException e) {
            throw new IllegalStateException("waited " + seconds + " s for " + what + " in vain");
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** True when the node with this id exists and is shown (it and all its parents visible). */
    boolean shown(String id) {
        return robot.lookup(id).tryQuery().map(WindowShots::visible).orElse(false);
    }

    private static boolean visible(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return n.getScene() != null;
    }

    /** Writes the window to NAME.png as it is now: for work in progress, which never holds still. */
    void saveNow(String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        write(name, grab());
    }

    /** Writes the window to NAME.png when two captures in a row agree (at most after ten seconds). */
    void save(String name) throws IOException {
        saveArea(name, new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()));
    }

    /**
     * Writes only the dialog holding the node: without a window manager a dialog has no frame, and
     * in a picture of the whole screen it would blend into the window behind it.
     */
    void saveDialog(String name, Node inDialog) throws IOException {
        javafx.stage.Window w = inDialog.getScene().getWindow();
        saveArea(name, new Rectangle2D(w.getX(), w.getY(), w.getWidth(), w.getHeight()));
    }

    private void saveArea(String name, Rectangle2D area) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        int[] last = null;
        Image image = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            image = robot.capture(area).getImage();
            int[] now = pixels(image);
            if (Arrays.equals(now, last)) {
                break;
            }
            last = now;
            WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS); // the next frame, not a wait for a server
        }
        write(name, image);
    }

    /** The screen where the window is: dialogs over it are in the picture too. */
    private Image grab() {
        return robot.capture(new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight())).getImage();
    }

    private void write(String name, Image image) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, pixels(image), 0, w);
        Path file = dir.resolve(name + ".png");
        ImageIO.write(out, "png", file.toFile());
        System.out.println("saved " + file);
    }

    private static int[] pixels(Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] px = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }
}
