package io.pitrconsole.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pitrconsole.core.SearchPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A throw-away Xvfb display on the first free number from 140, for tests that open the real window. */
final class XvfbDisplay implements AutoCloseable {
    private final Process xvfb;
    private final String name;

    private XvfbDisplay(Process xvfb, String name) {
        this.xvfb = xvfb;
        this.name = name;
    }

    /** Starts one; skips the test where Xvfb is not installed, except in CI, which installs it. */
    static XvfbDisplay start() throws Exception {
        boolean available = SearchPath.find(System.getenv("PATH"), "Xvfb").isPresent();
        if (System.getenv("CI") != null) {
            assertThat(available).as("Xvfb on the PATH (CI installs it)").isTrue();
        }
        assumeTrue(available, "Xvfb is not installed: the console window is not opened");
        for (int n = 140; n < 160; n++) {
            Path socket = Path.of("/tmp/.X11-unix/X" + n);
            if (Files.exists(socket) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                continue;
            }
            Process p = new ProcessBuilder("Xvfb", ":" + n, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 50 && p.isAlive() && !Files.exists(socket); i++) {
                Thread.sleep(100);
            }
            if (p.isAlive() && Files.exists(socket)) {
                return new XvfbDisplay(p, ":" + n);
            }
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        throw new AssertionError("no free Xvfb display from :140 to :159");
    }

    /** The DISPLAY value, such as :140. */
    String name() {
        return name;
    }

    @Override
    public void close() throws InterruptedException {
        xvfb.destroy();
        xvfb.waitFor(10, TimeUnit.SECONDS);
    }
}
