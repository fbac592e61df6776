package io.pitrconsole.repository.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pitrconsole.core.PitrException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real age program, as the repository uses it. */
class AgeProgramTest {
    @TempDir
    Path dir;
    private AgeProgram age;
    private EncryptionKey key;
    private EncryptionKey other;

    @BeforeEach
    void keys() {
        age = AgeProgram.find(System.getenv());
        key = age.generate(dir.resolve("repo.key"));
        other = age.generate(dir.resolve("other.key"));
    }

    private byte[] encrypt(byte[] plain, EncryptionKey to) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = age.encrypting(sealed, List.of(to.recipient()))) {
            out.write(plain);
        }
        return sealed.toByteArray();
    }

    private byte[] decrypt(byte[] sealed, Keyring ring) throws IOException {
        try (InputStream in = age.decrypting(new ByteArrayInputStream(sealed), ring, "base.tar of backup 20261206T101010")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSinkThatFailsMidFileIsReportedInItsOwnWordsThroughTryWithResources() {
        // a file system that fills up while an encrypted file is written
        OutputStream full = new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 1 << 20) {
                    throw new IOException("No space left on device");
                }
            }
        };
        byte[] chunk = new byte[1 << 20];
        IOException e = assertThrows(IOException.class, () -> {
            try (OutputStream out = age.encrypting(full, List.of(key.recipient()))) {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            }
        });
        assertTrue(e.getMessage().contains("No space left on device"), e.toString());
    }

    @Test
    void aNewKeyIsPrivateNamedByItsFingerprintAndNeverReplaced() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.file())));
        assertTrue(key.recipient().startsWith("age1"));
        assertEquals(key.fingerprint(), EncryptionKey.load(age, key.file()).fingerprint());
        assertFalse(key.fingerprint().equals(other.fingerprint()));
        byte[] before = Files.readAllBytes(key.file());
        PitrException e = assertThrows(PitrException.class, () -> age.generate(key.file()));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(key.file()));
    }

    @Test
    void contentComesBackExactlyAndIsNotInTheStoredBytes() throws IOException {
        byte[] plain = new byte[(3 << 20) + 17];
        new Random(1).nextBytes(plain);
        byte[] marker = "marker-row-4711".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, plain, 70000, marker.length);
        byte[] sealed = encrypt(plain, key);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("marker-row-4711"));
        assertArrayEquals(plain, decrypt(sealed, Keyring.of(key)));
        assertArrayEquals(new byte[0], decrypt(encrypt(new byte[0], key), Keyring.of(key)));
    }

    @Test
    void aFlippedByteACutAndAnExtraByteAreTamperingNamingTheFile() throws IOException {
        byte[] plain = new byte[200_000];
        new Random(2).nextBytes(plain);
        byte[] sealed = encrypt(plain, key);
        byte[] flipped = sealed.clone();
        flipped[sealed.length - 70_000] ^= 0x01;
        byte[] cut = Arrays.copyOf(sealed, sealed.length - 100);
        byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
        for (byte[] damaged : List.of(flipped, cut, longer)) {
            EncryptedFileDamaged e = assertThrows(EncryptedFileDamaged.class, () -> decrypt(damaged, Keyring.of(key)));
            assertTrue(e.getMessage().startsWith("base.tar of backup 20261206T101010 was tampered with or damaged"), e.getMessage());
        }
    }

    @Test
    void aPlainFileIsNotTakenForContentAndItsBytesStayOutOfTheMessage() {
        byte[] plain = "secret-row-content that was never encrypted".getBytes(StandardCharsets.US_ASCII);
        EncryptedFileDamaged e = assertThrows(EncryptedFileDamaged.class, () -> decrypt(plain, Keyring.of(key)));
        assertTrue(e.getMessage().contains("not an age-encrypted file"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-row"), e.getMessage());
    }

    @Test
    void anotherKeySaysSoAndAnOlderKeyHeldBesideReads() throws IOException {
        byte[] sealed = encrypt("wal".getBytes(StandardCharsets.US_ASCII), other);
        PitrException e = assertThrows(PitrException.class, () -> decrypt(sealed, Keyring.of(key)));
        assertTrue(e.getMessage().contains("cannot be decrypted with the key given (fingerprint " + key.fingerprint() + ")"), e.getMessage());
        assertTrue(e.hint().contains("--encryption-key-file"), e.hint());
        assertArrayEquals("wal".getBytes(StandardCharsets.US_ASCII), decrypt(sealed, new Keyring(List.of(key, other))));
    }

    @Test
    void aFileThatIsNotAKeySaysWhatAKeyFileIs() throws IOException {
        Path notKey = Files.writeString(dir.resolve("passphrase.txt"), "correct horse battery staple\n");
        PitrException e = assertThrows(PitrException.class, () -> EncryptionKey.load(age, notKey));
        assertTrue(e.getMessage().contains("is not an age identity file"), e.getMessage());
        assertTrue(e.hint().contains("key create"), e.hint());
        e = assertThrows(PitrException.class, () -> EncryptionKey.load(age, dir.resolve("missing.key")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
