package io.pitrconsole.pg;

import io.pitrconsole.core.Cancellation;
import java.nio.file.Path;

/**
 * A JVM that runs one long program through the runner and prints how its wait ended; the test
 * stops this JVM with SIGTERM, so only the runner's own shutdown hook stops the program (nothing
 * cancels the command first, the order a kill can take in the console's commands too).
 */
public final class ToolUnderShutdownMain {
    private ToolUnderShutdownMain() {
    }

    public static void main(String[] args) {
        // holds the JVM's exit until the wait below has ended, as the console's commands do (without cancelling anything)
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                ended.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        PgToolRunner.RunningTool tool = new PgToolRunner(new OsUser(OsUser.DEFAULT))
                .start(ToolCommand.of(Path.of("/bin/sh"), "-c", "echo up >&2; exec sleep 300"), new Cancellation(), line -> {
                    System.out.println("started");
                    System.out.flush();
                });
        try {
            tool.await();
            System.out.println("ended: exit 0");
        } catch (RuntimeException e) {
            System.out.println("ended: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.out.flush();
        ended.countDown();
    }
}
