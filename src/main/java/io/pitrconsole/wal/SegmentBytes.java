package io.pitrconsole.wal;

import com.github.luben.zstd.ZstdInputStream;
import io.pitrconsole.core.RegularFiles;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of one segment file as a little-endian buffer. A plain file is mapped, not copied:
 * the reader's walk touches only the pages it reaches, so a segment that ends in a switch
 * record (or a record needing only the next file's first page) costs only those pages, and
 * nothing is copied through a heap array first. A compressed file is decompressed once, as a
 * stream, as far as the reader advances, into a buffer the caller may lend (and reuse for the
 * next file).
 */
final class SegmentBytes implements Closeable {
    private static final int STEP = 256 * 1024;

    private final InputStream stream;
    private final long fileSize;
    private final int capacity;
    private byte[] data;
    private ByteBuffer view;
    private int filled;
    private boolean ended;
    private boolean closed;
    private boolean compressed;

    private SegmentBytes(ByteBuffer mapped, long fileSize, int capacity) {
        this.stream = null;
        this.fileSize = fileSize;
        this.capacity = capacity;
        this.view = mapped.order(ByteOrder.LITTLE_ENDIAN);
        this.ended = true;
    }

    /** {@code fileSize}: a plain file's size, -1 for a compressed one. */
    private SegmentBytes(InputStream stream, long fileSize, int capacity, byte[] lent) {
        this.stream = stream;
        this.fileSize = fileSize;
        this.capacity = capacity;
        this.data = lent != null && lent.length >= capacity ? lent : new byte[Math.min(capacity, STEP)];
        this.view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Opens a plain, .gz or .zst file; at most {@code capacity} bytes are ever held. */
    static SegmentBytes open(Path file, int capacity) throws IOException {
        return open(SegmentSource.of(file), capacity, null);
    }

    /**
     * Opens a plain, .gz or .zst file; a compressed file (or one only a stream reaches) is read
     * into {@code lent} when it holds {@code capacity} bytes (its old contents are overwritten;
     * it must not be shared).
     */
    static SegmentBytes open(SegmentSource source, int capacity, byte[] lent) throws IOException {
        if (source.compressed()) {
            InputStream raw = new BufferedInputStream(source.open(), STEP);
            try {
                InputStream in = source.fileName().endsWith(".gz") ? new GZIPInputStream(raw, STEP) : new ZstdInputStream(raw);
                SegmentBytes b = new SegmentBytes(in, -1, capacity, lent);
                b.compressed = true;
                return b;
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw new CorruptCompressionException(e);
            }
        }
        if (!source.local()) {
            // a repository's stream: read as far as the reader advances, like a decompressed file
            return new SegmentBytes(source.open(), source.contentSize(), capacity, lent);
        }
        // the mapping outlives the channel; close() releases it
        try (FileChannel ch = RegularFiles.openForReading(source.file())) {
            long size = ch.size();
            return new SegmentBytes(ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, capacity)), size, capacity);
        }
    }

    /** What a stream failing partway means, in a damage report: see {@link CorruptCompressionException}. */
    String corruptWords() {
        return compressed ? "compressed data is corrupt" : "stored data is damaged";
    }

    /** Size of a plain file (mapped or streamed), or -1 for a compressed one (unknown without reading it all). */
    long fileSize() {
        return fileSize;
    }

    /**
     * The bytes read so far, little-endian, indexed from the file's start. Fetch it again after
     * {@link #ensure}: a growing buffer may be replaced.
     */
    ByteBuffer buffer() {
        return view;
    }

    /** How far into the file the reader has asked for bytes (all of them once the file ended early). */
    int filled() {
        return filled;
    }

    /** Makes bytes up to {@code end} available; false if the file (or the capacity) ends before that. */
    boolean ensure(int end) throws IOException {
        if (end <= filled) {
            return true;
        }
        if (stream == null) {
            boolean ok = end <= view.capacity();
            filled = ok ? end : view.capacity();
            return ok;
        }
        if (end > capacity) {
            return false;
        }
        int target = (int) Math.min(capacity, Math.max((long) end, (long) filled + STEP));
        if (target > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(capacity, Math.max(target, 2L * data.length)));
            view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }
        while (filled < target && !ended) {
            int n = decompress(data, filled, target - filled);
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
        if (fileSize >= 0) {
            return fileSize > capacity;
        }
        if (!ensure(capacity)) {
            return false;
        }
        byte[] one = new byte[1];
        return decompress(one, 0, 1) > 0;
    }

    /**
     * Decompresses the rest of a compressed file to its end, as restore_command will, and returns
     * how many bytes it holds in all; the decompressor checks the frame's end and checksum on the
     * way, so a truncated or garbled file throws. Bytes past the capacity are counted, not kept.
     * For a plain file, its size.
     */
    long decompressedSize() throws IOException {
        if (fileSize >= 0) {
            return fileSize;
        }
        ensure(capacity);
        long total = filled;
        if (!ended) {
            byte[] sink = new byte[STEP];
            int n;
            while ((n = decompress(sink, 0, sink.length)) >= 0) {
                total += n;
            }
            ended = true;
        }
        return total;
    }

    /** Releases the file; for a mapped file the buffer must not be used afterwards. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            stream.close();
        } else {
            Unmapper.unmap(view);
        }
    }
}
