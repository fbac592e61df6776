package io.pitrconsole.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * CRC-32C (the checksum of every WAL record) of a few dozen bytes, computed here eight bytes at
 * a time from tables (slicing by 8) instead of by java.util.zip.CRC32C. The JDK's class is fast
 * per byte, but each call on a buffer costs about 100 ns under the quick JIT compiler the
 * launcher uses (setting the buffer's position and limit, then a call the compiler cannot turn
 * into the CPU's CRC instruction), which is three times what a 34-byte commit record costs here.
 * Larger runs are left to the JDK: this code does about one byte per nanosecond.
 */
final class ShortCrc32c {
    /** Up to this many bytes in all, a record's CRC is computed here. */
    static final int MAX_LENGTH = 128;
    private static final int POLYNOMIAL = 0x82F63B78;
    private static final VarHandle I16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** TABLE[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
    private static final int[] TABLE = table();

    private ShortCrc32c() {
    }

    private static int[] table() {
        int[] t = new int[8 * 256];
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
            }
            t[n] = c;
        }
        for (int n = 0; n < 256; n++) {
            int c = t[n];
            for (int k = 1; k < 8; k++) {
                c = t[c & 0xFF] ^ (c >>> 8);
                t[k * 256 + n] = c;
            }
        }
        return t;
    }

    /** The CRC a record carries: over its data after the header, then the header's first 20 bytes. */
    static int ofRecord(ByteBuffer b, int off, int total) {
        int c = update(~0, b, off + RecordLayout.HEADER_SIZE, total - RecordLayout.HEADER_SIZE);
        return ~update(c, b, off, 20);
    }

    /** Continues a running (not yet inverted) CRC over {@code len} bytes at {@code off}. */
    static int update(int crc, ByteBuffer b, int off, int len) {
        int[] t = TABLE;
        int end = off + len;
        while (end - off >= 8) {
            long v = (long) I64.get(b, off);
            int lo = (int) v ^ crc;
            int hi = (int) (v >>> 32);
            crc = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >>> 8) & 0xFF)] ^ t[5 * 256 + ((lo >>> 16) & 0xFF)]
                    ^ t[4 * 256 + (lo >>> 24)] ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >>> 8) & 0xFF)]
                    ^ t[256 + ((hi >>> 16) & 0xFF)] ^ t[hi >>> 24];
            off += 8;
        }
        if (end - off >= 4) {
            int v = (int) I32.get(b, off) ^ crc;
            crc = t[3 * 256 + (v & 0xFF)] ^ t[2 * 256 + ((v >>> 8) & 0xFF)] ^ t[256 + ((v >>> 16) & 0xFF)] ^ t[v >>> 24];
            off += 4;
        }
        if (end - off >= 2) {
            int v = ((short) I16.get(b, off) ^ crc) & 0xFFFF;
            crc = t[256 + (v & 0xFF)] ^ t[v >>> 8] ^ (crc >>> 16);
            off += 2;
        }
        if (off < end) {
            crc = t[(crc ^ b.get(off)) & 0xFF] ^ (crc >>> 8);
        }
        return crc;
    }
}
