package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One pass over one segment, record by record, the way the server's xlogreader validates WAL:
 * every page header, the record chain, lengths and the CRC of every record. A record that runs
 * into the next segment is finished from the next file's first pages when that file is given.
 * Records are checked where they lie in the file's buffer; only a record that spans pages and
 * holds something we interpret (transaction, XLOG) is copied together first, all others have
 * their CRC computed piece by piece across the pages.
 * <p>With {@link WalSegmentReader.Checks#INDEX} the CRC is computed only for the records whose
 * contents are used; every other record still has its header, length and back link checked, and
 * every page header on the way, but its body (mostly full-page images) is stepped over unread.
 */
final class SegmentWalk {
    /** Records are never bigger than this (XLogRecordMaxSize in PostgreSQL 15). */
    private static final long MAX_RECORD = 1020L * 1024 * 1024;
    private static final int MAX_BUILTIN_RMID = 21;
    private static final int MIN_CUSTOM_RMID = 128;

    enum Stop { END_OF_SEGMENT, SWITCH, OPEN_ENDED, END_OF_WAL, DAMAGE }

    private static final long END_OF_WAL = 0;
    private static final long OPEN_ENDED = -1;

    private final boolean partial;
    private final SegmentBytes current;
    private final Optional<SegmentSource> nextFile;
    private final long segStart;
    private final int segSize;
    private final RecordInterpreter found;
    private final ScanBuffers buffers;
    private final boolean everyCrc;
    private final CRC32C crc;
    private SegmentBytes next;
    private boolean nextUnusable;
    private final PageChecker pages;
    private int pageSize;
    /** Bytes of the current file known to be there (read, decompressed or mapped). */
    private int have;
    private ByteBuffer gathered;

    long firstRecordLsn = -1;
    long endLsn;
    long switchLsn = -1;
    int records;
    WalDamage damage;

    /**
     * {@code partial}: a .partial file, where valid WAL may stop before the segment's end.
     * {@code keepTransactions}: list every transaction end, not only the first and last time.
     */
    SegmentWalk(WalSegmentName name, boolean partial, SegmentBytes current, Optional<SegmentSource> nextFile, ScanBuffers buffers,
                WalSegmentReader.Checks checks, boolean keepTransactions) {
        this.partial = partial;
        this.found = new RecordInterpreter(keepTransactions);
        this.buffers = buffers;
        this.everyCrc = checks == WalSegmentReader.Checks.FULL;
        this.crc = buffers.crc;
        this.current = current;
        this.nextFile = nextFile;
        this.segStart = name.startLsn().value();
        this.segSize = (int) name.segmentSize();
        this.endLsn = segStart;
        this.pages = new PageChecker(name, current);
    }

    RecordInterpreter found() {
        return found;
    }

    PageChecker pages() {
        return pages;
    }

    long nextBytesRead() {
        return next == null ? 0 : next.filled();
    }

    /** Reads the segment; returns why it stopped. Only real I/O errors escape as exceptions. */
    Stop run() throws IOException {
        try {
            return walk();
        } catch (WalDamage d) {
            damage = d;
            return Stop.DAMAGE;
        } finally {
            if (next != null) {
                next.close();
            }
        }
    }

    private Stop walk() throws WalDamage, IOException {
        PageHeader first = pages.page(current, segStart, 0);
        pageSize = pages.pageSize();
        long pos = segStart + first.size();
        if (first.continues()) {
            pos = skipContinuation(first);
            if (pos < 0) {
                endLsn = segStart + segSize;
                return Stop.END_OF_SEGMENT;
            }
        }
        long prev = -1;
        long segEnd = segStart + segSize;
        while (pos < segEnd) {
            // the page size is a power of two (PageChecker insists): a mask, not a division per record
            int inPage = (int) (pos & (pageSize - 1));
            if (inPage == 0) {
                if (partial && pages.unusedPage(current, (int) (pos - segStart), pos)) {
                    return Stop.END_OF_WAL;
                }
                if (PageChecker.zeroPage(current, (int) (pos - segStart), pos)) {
                    throw new WalDamage("WAL ends at " + new Lsn(pos) + " with a zeroed page, before the end of the segment", pos);
                }
                PageHeader h = pages.page(current, pos, (int) (pos - segStart));
                if (h.continues()) {
                    throw new WalDamage("page " + new Lsn(pos) + " says a record continues onto it, but the previous one ended", pos);
                }
                pos += h.size();
                inPage = h.size();
            }
            if (!everyCrc) {
                // The common case written out, so that it costs no call: a record lying whole on
                // this page (in bytes already mapped or read) that holds nothing the index reads.
                // Its checks are record()'s; anything else goes there.
                int off = (int) (pos - segStart);
                ByteBuffer b = current.buffer();
                long total = off + RecordLayout.HEADER_SIZE <= have ? Bytes.u32(b, off) : 0;
                if (total >= RecordLayout.HEADER_SIZE && total <= pageSize - inPage && off + total <= have) {
                    int rmid = rmid(b, off);
                    if (!RecordInterpreter.interesting(rmid) && (rmid <= MAX_BUILTIN_RMID || rmid >= MIN_CUSTOM_RMID)
                            && (prev < 0 || Bytes.i64(b, off + 8) == prev)) {
                        if (firstRecordLsn < 0) {
                            firstRecordLsn = pos;
                        }
                        records++;
                        endLsn = pos + total;
                        prev = pos;
                        pos = Bytes.maxAlign(pos + total);
                        continue;
                    }
                }
            }
            long recEnd = record(pos, inPage, prev);
            if (recEnd == END_OF_WAL) {
                if (!partial) {
                    throw new WalDamage("WAL ends at " + new Lsn(pos) + ", before the end of the segment", pos);
                }
                return Stop.END_OF_WAL;
            }
            if (recEnd == OPEN_ENDED) {
                return Stop.OPEN_ENDED;
            }
            if (firstRecordLsn < 0) {
                firstRecordLsn = pos;
            }
            records++;
            endLsn = recEnd;
            if (switchLsn >= 0) {
                return Stop.SWITCH;
            }
            prev = pos;
            pos = Bytes.maxAlign(recEnd);
        }
        return Stop.END_OF_SEGMENT;
    }

    /** Skips the tail of a record begun in the previous segment; -1 if it fills this whole segment. */
    private long skipContinuation(PageHeader first) throws WalDamage, IOException {
        long remaining = first.remainingLength() & 0xFFFFFFFFL;
        long pageStart = segStart;
        int headerSize = first.size();
        while (true) {
            long room = pageSize - headerSize;
            if (remaining <= room) {
                return Bytes.maxAlign(pageStart + headerSize + remaining);
            }
            remaining -= room;
            pageStart += pageSize;
            if (pageStart >= segStart + segSize) {
                return -1;
            }
            PageHeader h = pages.page(current, pageStart, (int) (pageStart - segStart));
            checkContinuation(h, remaining, pageStart, segStart);
            headerSize = h.size();
        }
    }

    /**
     * Reads the record at {@code lsn}; returns the location just after it, 0 at the end of WAL
     * (zeros where a record should start), or -1 when it runs into a next segment we cannot read.
     */
    private long record(long lsn, int inPage, long prev) throws WalDamage, IOException {
        int off = (int) (lsn - segStart);
        if (!have(off + 8, lsn)) {
            throw PageChecker.truncated(current, lsn);
        }
        long total = Bytes.u32(current.buffer(), off);
        if (total == 0) {
            return END_OF_WAL;
        }
        if (total < RecordLayout.HEADER_SIZE || total > MAX_RECORD) {
            throw new WalDamage("invalid record length " + total + " at " + new Lsn(lsn), lsn);
        }
        int room = pageSize - inPage;
        ByteBuffer rec;
        int recOff;
        long end;
        if (total <= room) {
            if (!have((int) (off + total), lsn)) {
                throw PageChecker.truncated(current, lsn);
            }
            rec = current.buffer();
            recOff = off;
            end = lsn + total;
            int rmid = rmid(rec, recOff);
            // checkHeader written out: this runs for every record, and the quick compiler does not inline it
            if ((rmid > MAX_BUILTIN_RMID && rmid < MIN_CUSTOM_RMID) || (prev >= 0 && Bytes.i64(rec, recOff + 8) != prev)) {
                throw badHeader(rec, recOff, rmid, lsn, prev);
            }
            if (!everyCrc && !RecordInterpreter.interesting(rmid)) {
                return end;
            }
            checkCrc(rec, recOff, (int) total, lsn);
        } else if (room >= RecordLayout.HEADER_SIZE && !interestingAt(off, lsn)) {
            // nothing to look into: check its CRC where its pieces lie instead of copying them together
            return spanning(lsn, off, room, (int) total, prev, false);
        } else {
            end = spanning(lsn, off, room, (int) total, prev, true);
            if (end == OPEN_ENDED || end == END_OF_WAL) {
                return end;
            }
            rec = gathered;
            recOff = 0;
            checkHeader(rec, recOff, rmid(rec, recOff), lsn, prev);
            checkCrc(rec, recOff, (int) total, lsn);
        }
        int rmid = rmid(rec, recOff);
        int info = Bytes.u8(rec, recOff + 16);
        if (RecordInterpreter.interesting(rmid)) {
            long layout = RecordLayout.mainData(rec, recOff, (int) total, pageSize, pages.format().compressedImageFlags(), lsn);
            int mainOff = (int) layout;
            int mainLen = (int) (layout >>> 32);
            found.interpret(rec, recOff + mainOff, mainLen, rmid, info, Bytes.u32(rec, recOff + 4), lsn, pages.pageTli());
            if (rmid == RecordInterpreter.RM_XLOG && (info & 0xF0) == RecordInterpreter.XLOG_SWITCH) {
                switchLsn = lsn;
            }
        }
        return end;
    }

    /**
     * True when the current file holds its bytes up to {@code end}. Asks the file for the whole
     * WAL page (or the segment's end, if nearer) so that the records after this one on the same
     * page cost a comparison, not a call; a file that ends early is asked for exactly {@code end}.
     */
    private boolean have(int end, long lsn) throws WalDamage, IOException {
        return end <= have || more(end, lsn);
    }

    private boolean more(int end, long lsn) throws WalDamage, IOException {
        int pageEnd = (int) Math.min(((long) end + pageSize - 1) & -(long) pageSize, segSize);
        if (pageEnd >= end && PageChecker.available(current, pageEnd, lsn)) {
            have = pageEnd;
            return true;
        }
        if (PageChecker.available(current, end, lsn)) {
            have = end;
            return true;
        }
        return false;
    }

    /** The record's resource manager (xl_rmid), read with xl_info as one aligned int: the reads cost more than the shift. */
    private static int rmid(ByteBuffer rec, int off) {
        return (Bytes.i32(rec, off + 16) >>> 8) & 0xFF;
    }

    private boolean interestingAt(int off, long lsn) throws WalDamage, IOException {
        PageChecker.need(current, off + RecordLayout.HEADER_SIZE, lsn);
        return RecordInterpreter.interesting(Bytes.u8(current.buffer(), off + 17));
    }

    /**
     * Follows a record that spans pages, checking each continuation page; returns its end,
     * OPEN_ENDED or END_OF_WAL. With {@code gather} the record is copied into {@link #gathered}
     * (and checked by the caller); without, its header must lie on the first page, and the
     * record is checked here, its CRC computed over the pieces in place.
     */
    private long spanning(long lsn, int off, int room, int total, long prev, boolean gather) throws WalDamage, IOException {
        PageChecker.need(current, off + room, lsn);
        if (gather) {
            ensureGather(room);
            current.buffer().get(off, buffers.gather, 0, room);
        } else {
            crc.reset();
            if (everyCrc) {
                crcUpdate(current.buffer(), off + RecordLayout.HEADER_SIZE, room - RecordLayout.HEADER_SIZE);
            }
        }
        int have = room;
        long pageStart = (lsn & -(long) pageSize) + pageSize;
        while (true) {
            SegmentBytes side = current;
            long sideStart = segStart;
            if (pageStart >= segStart + segSize) {
                side = nextSegment();
                sideStart = segStart + segSize;
                if (side == null || pageStart >= sideStart + segSize) {
                    return OPEN_ENDED;
                }
            } else if (partial && pages.unusedPage(side, (int) (pageStart - sideStart), pageStart)) {
                return END_OF_WAL;
            } else if (PageChecker.zeroPage(side, (int) (pageStart - sideStart), pageStart)) {
                throw new WalDamage("WAL ends at " + new Lsn(pageStart) + " with a zeroed page, inside the record at "
                        + new Lsn(lsn) + " and before the end of the segment", pageStart);
            }
            PageHeader h;
            try {
                h = pages.page(side, pageStart, (int) (pageStart - sideStart));
            } catch (WalDamage | IOException e) {
                if (side != current) {
                    // the next file's own read reports its damage; this record stays unverified
                    return OPEN_ENDED;
                }
                throw e;
            }
            int remaining = total - have;
            checkContinuation(h, remaining, pageStart, lsn);
            int chunk = Math.min(remaining, pageSize - h.size());
            int from = (int) (pageStart - sideStart) + h.size();
            if (side != current) {
                try {
                    if (!side.ensure(from + chunk)) {
                        return OPEN_ENDED;
                    }
                } catch (IOException e) {
                    return OPEN_ENDED;
                }
            } else {
                PageChecker.need(side, from + chunk, pageStart);
            }
            if (gather) {
                ensureGather(have + chunk);
                side.buffer().get(from, buffers.gather, have, chunk);
            } else if (everyCrc) {
                crcUpdate(side.buffer(), from, chunk);
            }
            have += chunk;
            if (have == total) {
                if (gather) {
                    gathered = ByteBuffer.wrap(buffers.gather).order(ByteOrder.LITTLE_ENDIAN);
                } else {
                    checkHeader(current.buffer(), off, rmid(current.buffer(), off), lsn, prev);
                    if (everyCrc) {
                        crcUpdate(current.buffer(), off, 20);
                        checkCrcValue(current.buffer(), off, lsn);
                    }
                }
                return pageStart + h.size() + chunk;
            }
            pageStart += pageSize;
        }
    }

    private void checkContinuation(PageHeader h, long remaining, long pageStart, long recordLsn) throws WalDamage {
        if (!h.continues() || (h.remainingLength() & 0xFFFFFFFFL) != remaining) {
            throw new WalDamage("record at " + new Lsn(recordLsn) + " should continue with " + remaining
                    + " bytes on page " + new Lsn(pageStart) + ", but that page says "
                    + (h.continues() ? (h.remainingLength() & 0xFFFFFFFFL) + " bytes" : "no continuation"), pageStart);
        }
    }

    private void ensureGather(int size) {
        if (size > buffers.gather.length) {
            buffers.gather = java.util.Arrays.copyOf(buffers.gather, Math.max(size, buffers.gather.length * 2));
        }
    }

    /** The CRC over a range of a buffer; a mapped file's buffer is read in place. */
    private void crcUpdate(ByteBuffer b, int off, int len) {
        if (b.hasArray()) {
            crc.update(b.array(), b.arrayOffset() + off, len);
        } else {
            b.limit(b.capacity());
            b.position(off);
            b.limit(off + len);
            crc.update(b);
            // absolute reads are checked against the limit: give the whole buffer back
            b.limit(b.capacity());
        }
    }

    /** Checks the CRC of a record that lies whole in {@code rec}. */
    private void checkCrc(ByteBuffer rec, int off, int total, long lsn) throws WalDamage {
        if (total <= ShortCrc32c.MAX_LENGTH) {
            if (ShortCrc32c.ofRecord(rec, off, total) != Bytes.i32(rec, off + 20)) {
                throw crcMismatch(lsn);
            }
            return;
        }
        crc.reset();
        crcUpdate(rec, off + RecordLayout.HEADER_SIZE, total - RecordLayout.HEADER_SIZE);
        crcUpdate(rec, off, 20);
        checkCrcValue(rec, off, lsn);
    }

    private void checkCrcValue(ByteBuffer rec, int off, long lsn) throws WalDamage {
        if ((int) crc.getValue() != Bytes.i32(rec, off + 20)) {
            throw crcMismatch(lsn);
        }
    }

    private static WalDamage crcMismatch(long lsn) {
        return new WalDamage("CRC mismatch in record at " + new Lsn(lsn), lsn);
    }

    /** The resource manager id is a known one's, and the back link points at the previous record. */
    private static void checkHeader(ByteBuffer rec, int off, int rmid, long lsn, long prev) throws WalDamage {
        if ((rmid > MAX_BUILTIN_RMID && rmid < MIN_CUSTOM_RMID) || (prev >= 0 && Bytes.i64(rec, off + 8) != prev)) {
            throw badHeader(rec, off, rmid, lsn, prev);
        }
    }

    private static WalDamage badHeader(ByteBuffer rec, int off, int rmid, long lsn, long prev) {
        if (rmid > MAX_BUILTIN_RMID && rmid < MIN_CUSTOM_RMID) {
            return new WalDamage("invalid resource manager id " + rmid + " in record at " + new Lsn(lsn), lsn);
        }
        return new WalDamage("record at " + new Lsn(lsn) + " points back to " + new Lsn(Bytes.i64(rec, off + 8))
                + " instead of " + new Lsn(prev), lsn);
    }

    private SegmentBytes nextSegment() {
        if (next == null && !nextUnusable && nextFile.isPresent()) {
            try {
                next = SegmentBytes.open(nextFile.get(), segSize, null);
            } catch (IOException e) {
                nextUnusable = true;
            }
        }
        return next;
    }
}
