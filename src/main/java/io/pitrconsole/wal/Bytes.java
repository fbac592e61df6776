package io.pitrconsole.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian reads, as WAL is written on the machines PostgreSQL runs on here. The buffers
 * (a mapped file or a heap array) are read at absolute offsets, bounds-checked.
 * <p>The multi-byte reads go through view var handles rather than ByteBuffer.getInt and
 * friends: the launcher runs the quick JIT compiler only (C1), which cannot inline a call on
 * ByteBuffer while both heap and direct buffers are in use, so every such read was a virtual
 * call; a constant var handle compiles to a bounds check and a load for either kind of buffer.
 * They read the bytes in the handles' order whatever the buffer's own order is.
 */
final class Bytes {
    private static final VarHandle I16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    static int u16(ByteBuffer b, int off) {
        return (short) I16.get(b, off) & 0xFFFF;
    }

    static int i32(ByteBuffer b, int off) {
        return (int) I32.get(b, off);
    }

    static long u32(ByteBuffer b, int off) {
        return (int) I32.get(b, off) & 0xFFFFFFFFL;
    }

    static long i64(ByteBuffer b, int off) {
        return (long) I64.get(b, off);
    }

    static long maxAlign(long v) {
        return (v + 7) & ~7L;
    }
}
