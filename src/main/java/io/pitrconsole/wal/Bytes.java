package io.pitrconsole.wal;

import java.nio.ByteBuffer;

/**
 * Little-endian reads, as WAL is written on the machines PostgreSQL runs on here. The buffers
 * are little-endian views (a mapped file or a heap array), read at absolute offsets.
 */
final class Bytes {
    private Bytes() {
    }

    static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    static int u16(ByteBuffer b, int off) {
        return b.getShort(off) & 0xFFFF;
    }

    static int i32(ByteBuffer b, int off) {
        return b.getInt(off);
    }

    static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xFFFFFFFFL;
    }

    static long i64(ByteBuffer b, int off) {
        return b.getLong(off);
    }

    static long maxAlign(long v) {
        return (v + 7) & ~7L;
    }
}
