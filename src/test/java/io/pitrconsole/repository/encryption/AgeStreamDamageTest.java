package io.pitrconsole.repository.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored file read as a stream (an object in a bucket) that age rejects early: age stops reading
 * its input while much of the file is still to come, and the reader is told the file is damaged,
 * as age's exit says, not that a pipe broke; a source that fails itself is still its own failure.
 */
class AgeStreamDamageTest {
    private static final int SIZE = 8 * 1024 * 1024;
    @TempDir
    Path dir;
    private AgeProgram age;
    private Keyring keys;
    private byte[] sealed;

    @BeforeEach
    void anEncryptedFile() throws IOException {
        age = AgeProgram.find(System.getenv());
        EncryptionKey key = age.generate(dir.resolve("repo.key"));
        keys = Keyring.of(key);
        byte[] plain = new byte[SIZE];
        new Random(7).nextBytes(plain);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = age.encrypting(out, List.of(key.recipient()))) {
            enc.write(plain);
        }
        sealed = out.toByteArray();
    }

    // the stream as a slow network hands it over, a small piece at a time
    private static InputStream streamed(byte[] content) {
        return new java.io.ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 8192));
            }
        };
    }

    @Test
    void aFlipInTheFirstChunkOfAStreamIsDamageNamingTheFileEveryTime() throws IOException {
        for (int round = 0; round < 20; round++) {
            byte[] flipped = sealed.clone();
            // in the first 64 KiB chunk of the payload, after the header
            flipped[1000] ^= 0x01;
            try (InputStream in = age.decrypting(streamed(flipped), keys, "base.tar of backup_20261206_101010")) {
                assertThatThrownBy(in::readAllBytes).as("round " + round).isInstanceOf(EncryptedFileDamaged.class)
                        .hasMessageContaining("base.tar of backup_20261206_101010").hasMessageContaining("tampered with or damaged");
            }
        }
    }

    @Test
    void aSourceThatFailsIsItsOwnFailure() throws IOException {
        InputStream failing = new FilterInputStream(streamed(sealed)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > SIZE / 2) {
                    throw new IOException("connection reset by the service");
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        try (InputStream in = age.decrypting(failing, keys, "base.tar")) {
            assertThatThrownBy(in::readAllBytes).isNotInstanceOf(EncryptedFileDamaged.class).hasMessageContaining("connection reset");
        }
        assertThat(sealed.length).isGreaterThan(SIZE);
    }
}
