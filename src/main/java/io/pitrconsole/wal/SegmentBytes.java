package io.pitrconsole.wal;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of one segment file, loaded lazily from its start as the reader advances, so a
 * segment that ends in a switch record (or a record needing only the next file's first page)
 * costs only what is read. Compressed files are decompressed once, as a stream.
 */
final class SegmentBytes implements Closeable {
    private static final int STEP = 256 * 1024;

    private final FileChannel channel;
    private final InputStream stream;
    private final long fileSize;
    private final int capacity;
    private byte[] data;
    private int filled;
    private boolean ended;

    private SegmentBytes(FileChannel channel, InputStream stream, long fileSize, int capacity) {
        this.channel = channel;
        this.stream = stream;
        this.fileSize = fileSize;
        this.capacity = capacity;
        // a plain file's size is known: one allocation, no growing copies (they dominated the CPU time)
        this.data = new byte[fileSize >= 0 ? (int) Math.min(capacity, fileSize) : Math.min(capacity, STEP)];
    }

    /** Opens a plain, .gz or .zst file; at most {@code capacity} bytes are ever held. */
    static SegmentBytes open(Path file, int capacity) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz") || name.endsWith(".zst")) {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), STEP);
            try {
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, STEP) : new ZstdInputStream(raw);
                return new SegmentBytes(null, in, -1, capacity);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw new CorruptCompressionException(e);
            }
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SegmentBytes(ch, null, ch.size(), capacity);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Size of a plain file, or -1 for a compressed one (unknown without reading it all). */
    long fileSize() {
        return fileSize;
    }

    byte[] array() {
        return data;
    }

    int filled() {
        return filled;
    }

    /** Loads bytes up to {@code end}; false if the file (or the capacity) ends before that. */
    boolean ensure(int end) throws IOException {
        if (end <= filled) {
            return true;
        }
        if (end > capacity) {
            return false;
        }
        int target = (int) Math.min(capacity, Math.max((long) end, (long) filled + STEP));
        if (target > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(capacity, Math.max(target, 2L * data.length)));
        }
        while (filled < target && !ended) {
            int n = channel != null
                    ? channel.read(ByteBuffer.wrap(data, filled, target - filled))
                    : decompress(data, filled, target - filled);
            if (n < 0) {
                ended = true;
            } else {
                filled += n;
            }
        }
        return end <= filled;
    }

    private int decompress(byte[] into, int off, int len) throws CorruptCompressionException {
        try {
            return stream.read(into, off, len);
        } catch (IOException | RuntimeException e) {
            // a truncated or garbled .gz/.zst is damage in the file, reported like any other
            ended = true;
            throw new CorruptCompressionException(e);
        }
    }

    /** True if the file has bytes beyond the capacity (a segment that is too long). */
    boolean hasMoreThanCapacity() throws IOException {
        if (channel != null) {
            return fileSize > capacity;
        }
        if (!ensure(capacity)) {
            return false;
        }
        byte[] one = new byte[1];
        return decompress(one, 0, 1) > 0;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
        if (stream != null) {
            stream.close();
        }
    }
}
