package io.pitrconsole.repository.s3;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the parts of one backup's uploads, a few at a time: a fixed number of part buffers is the
 * whole memory a backup's upload takes, and a reader that is ahead of the network waits for one
 * to come back instead of reading on.
 */
final class S3PartSender implements AutoCloseable {
    /** Parts in flight at once: enough to fill a link whose single requests wait on latency, few enough to keep memory small. */
    static final int PARALLEL = 4;

    private final BlockingQueue<byte[]> buffers;
    private final ExecutorService senders;
    private final int capacity;
    private int allocated;

    S3PartSender() {
        this(PARALLEL, PARALLEL + 1);
    }

    S3PartSender(int parallel, int buffers) {
        this.capacity = buffers;
        this.buffers = new ArrayBlockingQueue<>(buffers);
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "s3-part-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A part buffer; waits while all of them are in flight. */
    byte[] buffer() throws InterruptedException {
        synchronized (this) {
            if (buffers.isEmpty() && allocated < capacity) {
                allocated++;
                return new byte[S3Objects.PART_SIZE];
            }
        }
        return buffers.take();
    }

    /** Gives a buffer back once its part is stored (or dropped). */
    void release(byte[] buffer) {
        if (buffer != null && buffer.length == S3Objects.PART_SIZE) {
            buffers.offer(buffer);
        }
    }

    Future<?> submit(Runnable send) {
        return senders.submit(send);
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
