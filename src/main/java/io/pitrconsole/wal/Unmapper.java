package io.pitrconsole.wal;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Releases a mapped segment as soon as its reader is done, instead of when the garbage collector
 * gets to the buffer: indexing a large archive maps thousands of files while allocating little,
 * so without this the mappings (and the kernel's page tables for them) would pile up towards the
 * per-process mapping limit. Uses sun.misc.Unsafe.invokeCleaner (module jdk.unsupported), the
 * JDK's only way to unmap before Java 19's memory segments; where it is unavailable the mapping is
 * left to the collector, as before.
 */
final class Unmapper {
    private static final sun.misc.Unsafe UNSAFE = find();

    private Unmapper() {
    }

    private static sun.misc.Unsafe find() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Unmaps a buffer returned by FileChannel.map; the buffer must not be touched afterwards. */
    static void unmap(ByteBuffer mapped) {
        if (UNSAFE != null && mapped.isDirect()) {
            try {
                UNSAFE.invokeCleaner(mapped);
            } catch (IllegalArgumentException notUnmappable) {
                // a duplicate or slice: its mapping stays until the collector frees it
            }
        }
    }
}
