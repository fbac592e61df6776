package io.pitrconsole.cli;

import io.pitrconsole.core.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C or a kill into a cancellation of the running work, and holds the JVM's exit until
 * that work has cleaned up after itself (removed partial files, stopped servers it started).
 */
public final class InterruptGuard implements AutoCloseable {
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private InterruptGuard(String what, int cleanupSeconds) {
        hook = new Thread(() -> {
            cancellation.cancel();
            try {
                finished.await(cleanupSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, what + "-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static InterruptGuard install(String what, int cleanupSeconds) {
        return new InterruptGuard(what, cleanupSeconds);
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for 'finished', which is now counted down
        }
    }
}
