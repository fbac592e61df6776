package io.pitrconsole.pg;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads one output pipe of a program on a thread of its own, so that whoever waits for the
 * program waits for its exit and not for the pipe: a child the program left behind can hold the
 * pipe open long after the program itself is gone.
 */
final class OutputPump {
    /** What is done with the bytes of the pipe; it returns at end-of-file. */
    interface Reader {
        void readAll(InputStream in) throws IOException;
    }

    private final CountDownLatch ended = new CountDownLatch(1);

    private OutputPump(String name, InputStream in, Reader reader) {
        Thread t = new Thread(() -> {
            try (in) {
                reader.readAll(in);
            } catch (IOException ignored) {
                // the pipe broke: its writer is gone, and the exit code tells the rest
            } finally {
                ended.countDown();
            }
        }, name);
        // a pipe that never ends must not keep the JVM alive
        t.setDaemon(true);
        t.start();
    }

    static OutputPump start(String name, InputStream in, Reader reader) {
        return new OutputPump(name, in, reader);
    }

    /** Waits for end-of-file; false when the pipe is still open after the timeout. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
