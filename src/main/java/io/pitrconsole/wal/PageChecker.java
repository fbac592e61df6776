package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Checks WAL page headers as the server does (magic, flags, page address, timeline never going
 * backwards nor past the file's own, and on a segment's first page its sizes and system id).
 */
final class PageChecker {
    private final WalSegmentName name;
    private final SegmentBytes current;
    private final int segSize;
    private int pageSize;
    private long systemId;
    private int firstTli;
    private int lastTli;
    private int pageTli;
    private WalFormat format;

    PageChecker(WalSegmentName name, SegmentBytes current) {
        this.name = name;
        this.current = current;
        this.segSize = (int) name.segmentSize();
    }

    /** The WAL page size, known once the segment's first page was checked. */
    int pageSize() {
        return pageSize;
    }

    long systemId() {
        return systemId;
    }

    int firstTli() {
        return firstTli;
    }

    int lastTli() {
        return lastTli;
    }

    /** The WAL format of this segment, known once its first page was checked. */
    WalFormat format() {
        return format;
    }

    /** Timeline of the page checked last. */
    int pageTli() {
        return pageTli;
    }

    /** Reads and checks the page header at {@code pageLsn} ({@code off} bytes into {@code side}). */
    PageHeader page(SegmentBytes side, long pageLsn, int off) throws WalDamage, IOException {
        need(side, off + PageHeader.SHORT_SIZE, pageLsn);
        ByteBuffer b = side.buffer();
        int magic = PageHeader.magic(b, off);
        boolean first = off == 0;
        int info = Bytes.u16(b, off + 2);
        boolean flagsValid = (info & ~PageHeader.ALL_FLAGS) == 0 && first == ((info & PageHeader.LONG_HEADER) != 0);
        if (format == null) {
            // the segment's first page says which major wrote it; every later page must agree
            format = WalFormat.ofMagic(magic).orElse(null);
            if (format == null) {
                throw unknownMagic(side, magic, info, flagsValid, pageLsn);
            }
        } else if (magic != format.pageMagic()) {
            throw new WalDamage(String.format("bad page magic 0x%04X at %s (this segment is PostgreSQL %d WAL, 0x%04X)",
                    magic, new Lsn(pageLsn), format.major(), format.pageMagic()), pageLsn);
        }
        if (!flagsValid) {
            throw new WalDamage(String.format("invalid page flags 0x%04X at %s", info, new Lsn(pageLsn)), pageLsn);
        }
        if (first) {
            need(side, off + PageHeader.LONG_SIZE, pageLsn);
        }
        PageHeader h = PageHeader.parse(b, off, first);
        if (first) {
            checkLongHeader(h, side, pageLsn);
        }
        if (h.pageAddress() != pageLsn) {
            throw new WalDamage("page at " + new Lsn(pageLsn) + " has page address " + new Lsn(h.pageAddress())
                    + " (a recycled or misplaced page)", pageLsn);
        }
        int tli = h.timeline();
        if (tli == 0 || Integer.compareUnsigned(tli, name.timeline()) > 0 || Integer.compareUnsigned(tli, lastTli) < 0) {
            throw new WalDamage("page at " + new Lsn(pageLsn) + " has timeline " + Integer.toUnsignedString(tli)
                    + " (file is on timeline " + name.timeline() + ", previous page on " + lastTli + ")", pageLsn);
        }
        if (firstTli == 0) {
            firstTli = tli;
        }
        lastTli = tli;
        pageTli = tli;
        return h;
    }

    /**
     * A first page whose header is otherwise sound (flags, page address, sizes), whose magic is
     * another PostgreSQL release's and repeated on the next page, is unsupported WAL, not damage;
     * anything else is damage.
     */
    private WalDamage unknownMagic(SegmentBytes side, int magic, int info, boolean flagsValid, long pageLsn)
            throws WalDamage, IOException {
        String bad = String.format("bad page magic 0x%04X at %s (not a PostgreSQL %s WAL page)", magic, new Lsn(pageLsn),
                WalFormat.supportedRange());
        if (side != current || !flagsValid || (info & PageHeader.LONG_HEADER) == 0 || !WalFormat.plausibleMagic(magic)
                || !available(side, PageHeader.LONG_SIZE, pageLsn)) {
            return new WalDamage(bad, pageLsn);
        }
        PageHeader h = PageHeader.parse(side.buffer(), 0, true);
        int block = h.blockSize();
        if (h.pageAddress() != pageLsn || h.segmentSize() != segSize || block < 1024 || block > 65536
                || Integer.bitCount(block) != 1) {
            return new WalDamage(bad, pageLsn);
        }
        // another release writes its magic on every page: a second page with a known magic means
        // the first one's is damaged, not foreign
        if (available(side, block + 2, pageLsn)) {
            int second = PageHeader.magic(side.buffer(), block);
            if (second != 0 && second != magic) {
                return new WalDamage(bad, pageLsn);
            }
        }
        return new UnsupportedMagic(magic, pageLsn);
    }

    /** The segment's first page is well formed WAL of a release this reader does not know. */
    static final class UnsupportedMagic extends WalDamage {
        private static final long serialVersionUID = 1L;
        private final int magic;

        UnsupportedMagic(int magic, long lsn) {
            super(String.format("%s WAL (page magic 0x%04X) is not supported", WalFormat.releaseOf(magic), magic), lsn);
            this.magic = magic;
        }

        int magic() {
            return magic;
        }
    }

    private void checkLongHeader(PageHeader h, SegmentBytes side, long pageLsn) throws WalDamage {
        if (h.segmentSize() != segSize) {
            throw new WalDamage("segment header says segment size " + Integer.toUnsignedString(h.segmentSize())
                    + ", expected " + segSize, pageLsn);
        }
        int block = h.blockSize();
        if (block < 1024 || block > 65536 || Integer.bitCount(block) != 1 || (pageSize != 0 && block != pageSize)) {
            throw new WalDamage("segment header says WAL page size " + Integer.toUnsignedString(block), pageLsn);
        }
        if (side == current) {
            pageSize = block;
            systemId = h.systemIdentifier();
        } else if (h.systemIdentifier() != systemId) {
            throw new WalDamage("next segment belongs to another cluster (system identifier "
                    + Long.toUnsignedString(h.systemIdentifier()) + ")", pageLsn);
        }
    }

    /** True if the page at {@code off} was never written in this segment's life: zeros or an older page. */
    boolean unusedPage(SegmentBytes side, int off, long pageLsn) throws WalDamage, IOException {
        if (!available(side, off + PageHeader.SHORT_SIZE, pageLsn)) {
            return false;
        }
        ByteBuffer b = side.buffer();
        return PageHeader.magic(b, off) == 0 || Long.compareUnsigned(Bytes.i64(b, off + 8), pageLsn) < 0;
    }

    static boolean zeroPage(SegmentBytes side, int off, long pageLsn) throws WalDamage, IOException {
        return available(side, off + PageHeader.SHORT_SIZE, pageLsn) && Bytes.i64(side.buffer(), off) == 0
                && Bytes.i64(side.buffer(), off + 8) == 0;
    }

    static void need(SegmentBytes side, int end, long lsn) throws WalDamage, IOException {
        if (!available(side, end, lsn)) {
            throw truncated(side, lsn);
        }
    }

    static boolean available(SegmentBytes side, int end, long lsn) throws WalDamage, IOException {
        try {
            return side.ensure(end);
        } catch (CorruptCompressionException e) {
            throw new WalDamage(side.corruptWords() + ": " + e.getMessage(), lsn);
        }
    }

    static WalDamage truncated(SegmentBytes side, long lsn) {
        return new WalDamage("file ends after " + side.filled() + " bytes, inside the segment (truncated)", lsn);
    }
}
