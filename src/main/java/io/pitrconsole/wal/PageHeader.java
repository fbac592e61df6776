package io.pitrconsole.wal;

import java.nio.ByteBuffer;

/** A WAL page header (XLogPageHeaderData, and the long form on a segment's first page). */
record PageHeader(int info, int timeline, long pageAddress, int remainingLength, int size,
                  long systemIdentifier, int segmentSize, int blockSize) {
    static final int MAGIC_PG15 = 0xD110;
    static final int FIRST_IS_CONTRECORD = 0x1;
    static final int LONG_HEADER = 0x2;
    static final int ALL_FLAGS = 0xF;
    static final int SHORT_SIZE = 24;
    static final int LONG_SIZE = 40;

    boolean continues() {
        return (info & FIRST_IS_CONTRECORD) != 0;
    }

    /** Parses the header at {@code off}; {@code buf} must hold LONG_SIZE bytes there if the long flag is set. */
    static int magic(ByteBuffer buf, int off) {
        return Bytes.u16(buf, off);
    }

    static PageHeader parse(ByteBuffer buf, int off, boolean longForm) {
        int info = Bytes.u16(buf, off + 2);
        int tli = Bytes.i32(buf, off + 4);
        long addr = Bytes.i64(buf, off + 8);
        int rem = Bytes.i32(buf, off + 16);
        if (!longForm) {
            return new PageHeader(info, tli, addr, rem, SHORT_SIZE, 0, 0, 0);
        }
        return new PageHeader(info, tli, addr, rem, LONG_SIZE, Bytes.i64(buf, off + 24),
                Bytes.i32(buf, off + 32), Bytes.i32(buf, off + 36));
    }
}
