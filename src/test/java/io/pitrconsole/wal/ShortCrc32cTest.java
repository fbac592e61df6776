package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The table-driven CRC-32C against the JDK's, on every length and alignment it is used for. */
class ShortCrc32cTest {
    private static final Random RANDOM = new Random(20261206);

    private static ByteBuffer[] buffers(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        ByteBuffer heap = ByteBuffer.wrap(bytes.clone()).order(ByteOrder.LITTLE_ENDIAN);
        // the reader's own buffers are little-endian, but the CRC must not depend on the order
        ByteBuffer direct = ByteBuffer.allocateDirect(size).order(ByteOrder.BIG_ENDIAN);
        direct.put(0, bytes);
        return new ByteBuffer[] {heap, direct};
    }

    private static int jdk(ByteBuffer b, int off, int len) {
        byte[] copy = new byte[len];
        b.get(off, copy, 0, len);
        CRC32C crc = new CRC32C();
        crc.update(copy, 0, len);
        return (int) crc.getValue();
    }

    @Test
    void sameAsTheJdkForEveryLengthAndOffset() {
        for (ByteBuffer b : buffers(1024)) {
            for (int off = 0; off < 16; off++) {
                for (int len = 0; len <= 2 * ShortCrc32c.MAX_LENGTH; len++) {
                    assertThat(~ShortCrc32c.update(~0, b, off, len)).as("offset %d, length %d, %s", off, len, b)
                            .isEqualTo(jdk(b, off, len));
                }
            }
            // the buffer's position and limit are neither used nor moved
            assertThat(b.position()).isZero();
            assertThat(b.limit()).isEqualTo(1024);
        }
    }

    @Test
    void runsContinueOneAnother() {
        for (ByteBuffer b : buffers(512)) {
            for (int i = 0; i < 2000; i++) {
                int off = RANDOM.nextInt(200);
                int first = RANDOM.nextInt(100);
                int second = RANDOM.nextInt(100);
                int crc = ShortCrc32c.update(ShortCrc32c.update(~0, b, off, first), b, off + first, second);
                assertThat(~crc).isEqualTo(jdk(b, off, first + second));
            }
        }
    }

    @Test
    void recordCrcCoversTheDataThenTheHeadersFirst20Bytes() {
        for (ByteBuffer b : buffers(4096)) {
            for (int total = RecordLayout.HEADER_SIZE; total <= ShortCrc32c.MAX_LENGTH; total++) {
                int off = 8 * RANDOM.nextInt(400);
                byte[] data = new byte[total - RecordLayout.HEADER_SIZE];
                byte[] header = new byte[20];
                b.get(off + RecordLayout.HEADER_SIZE, data);
                b.get(off, header);
                CRC32C crc = new CRC32C();
                crc.update(data);
                crc.update(header);
                assertThat(ShortCrc32c.ofRecord(b, off, total)).as("total %d", total).isEqualTo((int) crc.getValue());
            }
        }
    }
}
