package io.pitrconsole.wal;

/** Little-endian reads, as WAL is written on the machines PostgreSQL runs on here. */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFFFFFFL;
    }

    static long i64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    static long maxAlign(long v) {
        return (v + 7) & ~7L;
    }
}
