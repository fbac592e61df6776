package io.pitrconsole.wal;

import java.util.List;
import java.util.Optional;

/**
 * What differs in the WAL of one PostgreSQL major, told apart by the page magic every page
 * starts with (XLOG_PAGE_MAGIC, bumped whenever the WAL format changes). The record header, the
 * block references and the records read here are laid out alike in 13 to 18 except for the flags
 * of a compressed full-page image, which 15 split by compression method.
 *
 * @param major                 PostgreSQL major version
 * @param pageMagic             XLOG_PAGE_MAGIC of that major
 * @param compressedImageFlags  bimg_info bits meaning "this image is compressed"
 */
record WalFormat(int major, int pageMagic, int compressedImageFlags) {
    /** BKPIMAGE_IS_COMPRESSED up to 14. */
    private static final int COMPRESSED_UP_TO_14 = 0x02;
    /** BKPIMAGE_COMPRESS_PGLZ | _LZ4 | _ZSTD from 15. */
    private static final int COMPRESSED_FROM_15 = 0x04 | 0x08 | 0x10;

    static final List<WalFormat> SUPPORTED = List.of(
            new WalFormat(13, 0xD106, COMPRESSED_UP_TO_14),
            new WalFormat(14, 0xD10D, COMPRESSED_UP_TO_14),
            new WalFormat(15, 0xD110, COMPRESSED_FROM_15),
            new WalFormat(16, 0xD113, COMPRESSED_FROM_15),
            new WalFormat(17, 0xD116, COMPRESSED_FROM_15),
            new WalFormat(18, 0xD118, COMPRESSED_FROM_15));

    // Majors older than 13 whose magic is worth naming; anything else is named by its range.
    private static final int MAGIC_12 = 0xD101;
    private static final int MAGIC_11 = 0xD098;
    private static final int MAGIC_10 = 0xD097;
    // Every XLOG_PAGE_MAGIC since 8.0 lies here; other values are not WAL at all.
    private static final int PLAUSIBLE_LOW = 0xD000;
    private static final int PLAUSIBLE_HIGH = 0xD1FF;

    static Optional<WalFormat> ofMagic(int magic) {
        for (WalFormat f : SUPPORTED) {
            if (f.pageMagic == magic) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** True when an unknown magic looks like another PostgreSQL release's rather than random bytes. */
    static boolean plausibleMagic(int magic) {
        return magic >= PLAUSIBLE_LOW && magic <= PLAUSIBLE_HIGH;
    }

    /** Which release writes a magic this reader does not know, as a user would say it. */
    static String releaseOf(int magic) {
        int newest = SUPPORTED.get(SUPPORTED.size() - 1).pageMagic;
        if (magic > newest) {
            return "PostgreSQL " + (SUPPORTED.get(SUPPORTED.size() - 1).major + 1) + " or later";
        }
        return switch (magic) {
            case MAGIC_12 -> "PostgreSQL 12";
            case MAGIC_11 -> "PostgreSQL 11";
            case MAGIC_10 -> "PostgreSQL 10";
            default -> magic < SUPPORTED.get(0).pageMagic ? "PostgreSQL older than 13" : "an unreleased PostgreSQL";
        };
    }

    static String supportedRange() {
        return SUPPORTED.get(0).major + " to " + SUPPORTED.get(SUPPORTED.size() - 1).major;
    }
}
