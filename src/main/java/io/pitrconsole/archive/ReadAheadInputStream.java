package io.pitrconsole.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads (and so decompresses) a stream on its own thread, a few chunks ahead of the consumer.
 * Extraction then decompresses on one core while it parses and writes files on another, the way
 * `zstd -dc | tar -x` splits the work between two processes.
 */
final class ReadAheadInputStream extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int AHEAD = 8;

    /** A filled buffer, the end of the stream (length -1) or a failure. */
    private record Chunk(byte[] data, int length, IOException failure) {
    }

    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(AHEAD + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(AHEAD + 2);
    private final Thread reader;
    private Chunk current;
    private int pos;
    private boolean ended;

    ReadAheadInputStream(InputStream source, String name) {
        reader = new Thread(() -> pump(source), "read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(InputStream source) {
        try (source) {
            while (true) {
                byte[] buf = free.poll();
                if (buf == null) {
                    buf = new byte[CHUNK];
                }
                int n = source.readNBytes(buf, 0, CHUNK);
                if (n > 0) {
                    filled.put(new Chunk(buf, n, null));
                }
                if (n < CHUNK) {
                    filled.put(new Chunk(null, -1, null));
                    return;
                }
            }
        } catch (IOException e) {
            offerFailure(e);
        } catch (RuntimeException e) {
            offerFailure(new IOException(e.getMessage(), e));
        } catch (InterruptedException e) {
            // closed by the consumer
        }
    }

    private void offerFailure(IOException e) {
        try {
            filled.put(new Chunk(null, -1, e));
        } catch (InterruptedException ignored) {
            // closed by the consumer: nobody is waiting for the failure
        }
    }

    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        if (current != null && pos < current.length()) {
            return true;
        }
        if (current != null && current.data() != null) {
            free.offer(current.data());
        }
        try {
            current = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        pos = 0;
        if (current.failure() != null) {
            ended = true;
            throw current.failure();
        }
        if (current.length() < 0) {
            ended = true;
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return next() ? current.data()[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        ended = true;
        reader.interrupt();
        filled.clear();
    }
}
