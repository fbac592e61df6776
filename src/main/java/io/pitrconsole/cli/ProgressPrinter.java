package io.pitrconsole.cli;

import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.ProgressListener;
import java.io.PrintWriter;

/** Shows progress on one redrawn terminal line; silent when output is not a terminal. */
public final class ProgressPrinter implements ProgressListener {
    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;

    public ProgressPrinter(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    @Override
    public void progress(long done, long total, String message) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        String pct = total > 0 ? String.format("%3d%% ", done * 100 / total) : "";
        String line = pct + ByteSize.of(done).human() + (total > 0 ? " / " + ByteSize.of(total).human() : "") + "  " + message;
        if (line.length() > 100) {
            line = line.substring(0, 100);
        }
        err.print("\r" + line + "\033[K");
        err.flush();
    }

    public void done() {
        if (enabled && lastDraw != 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
