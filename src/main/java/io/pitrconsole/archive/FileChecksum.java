package io.pitrconsole.archive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32C;

/** Computes a file checksum the way backup_manifest states it, for each algorithm it may name. */
interface FileChecksum {
    void update(byte[] buf, int off, int len);

    /** Lower-case hex as written in the manifest, or "" for NONE. */
    String hex();

    static FileChecksum forAlgorithm(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT);
        if (a.equals("NONE")) {
            return new FileChecksum() {
                public void update(byte[] buf, int off, int len) {
                }

                public String hex() {
                    return "";
                }
            };
        }
        if (a.equals("CRC32C")) {
            CRC32C crc = new CRC32C();
            return new FileChecksum() {
                public void update(byte[] buf, int off, int len) {
                    crc.update(buf, off, len);
                }

                // The server copies the 32-bit value's in-memory (little-endian) bytes into hex.
                public String hex() {
                    long v = crc.getValue();
                    return HexFormat.of().formatHex(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
                }
            };
        }
        String jca = switch (a) {
            case "SHA224" -> "SHA-224";
            case "SHA256" -> "SHA-256";
            case "SHA384" -> "SHA-384";
            case "SHA512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unknown checksum algorithm " + algorithm);
        };
        try {
            MessageDigest md = MessageDigest.getInstance(jca);
            return new FileChecksum() {
                public void update(byte[] buf, int off, int len) {
                    md.update(buf, off, len);
                }

                public String hex() {
                    return HexFormat.of().formatHex(md.digest());
                }
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
