package io.pitrconsole.wal;

import java.util.zip.CRC32C;

/**
 * Working memory of one reader thread, kept from segment to segment: allocating (and zeroing)
 * a segment-sized array per file cost more than reading the file. Never shared between threads.
 */
final class ScanBuffers {
    final CRC32C crc = new CRC32C();
    /** Holds a record that spans pages and must be looked into as a whole. */
    byte[] gather = new byte[16 * 1024];
    private byte[] decompressed;

    /** A segment-sized array to decompress into, reused for every compressed file. */
    byte[] decompressed(int capacity) {
        if (decompressed == null || decompressed.length < capacity) {
            decompressed = new byte[capacity];
        }
        return decompressed;
    }
}
