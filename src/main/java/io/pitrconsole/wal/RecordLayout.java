package io.pitrconsole.wal;

import java.nio.ByteBuffer;
/**
 * Walks a record's block references (XLogRecordBlockHeader and friends) the way the server's
 * DecodeXLogRecord does, to find where the main data is. Main data comes last in the record.
 */
final class RecordLayout {
    static final int HEADER_SIZE = 24;
    private static final int MAX_BLOCK_ID = 32;
    private static final int BLOCK_ID_DATA_SHORT = 255;
    private static final int BLOCK_ID_DATA_LONG = 254;
    private static final int BLOCK_ID_ORIGIN = 253;
    private static final int BLOCK_ID_TOPLEVEL_XID = 252;
    private static final int BKPBLOCK_HAS_IMAGE = 0x10;
    private static final int BKPBLOCK_HAS_DATA = 0x20;
    private static final int BKPBLOCK_SAME_REL = 0x80;
    private static final int BKPIMAGE_HAS_HOLE = 0x01;
    private static final int RELFILENODE_SIZE = 12;

    private RecordLayout() {
    }

    /**
     * Returns the main data's offset from the record start, with its length in the upper half:
     * {@code (length << 32) | offset}. Throws when the block headers do not add up.
     * {@code compressedImageFlags}: the major's bits for a compressed full-page image ({@link WalFormat}).
     */
    static long mainData(ByteBuffer rec, int off, int totalLength, int blockSize, int compressedImageFlags, long lsn) throws WalDamage {
        int p = HEADER_SIZE;
        long remaining = totalLength - HEADER_SIZE;
        long dataTotal = 0;
        long mainLength = 0;
        int lastBlockId = -1;
        boolean haveRel = false;
        while (remaining > dataTotal) {
            int id = need(rec, off, p, 1, remaining, lsn);
            p++;
            remaining--;
            if (id == BLOCK_ID_DATA_SHORT) {
                mainLength = need(rec, off, p, 1, remaining, lsn);
                p++;
                remaining--;
                dataTotal += mainLength;
                break;
            } else if (id == BLOCK_ID_DATA_LONG) {
                need(rec, off, p, 4, remaining, lsn);
                mainLength = Bytes.u32(rec, off + p);
                p += 4;
                remaining -= 4;
                dataTotal += mainLength;
                break;
            } else if (id == BLOCK_ID_ORIGIN) {
                need(rec, off, p, 2, remaining, lsn);
                p += 2;
                remaining -= 2;
            } else if (id == BLOCK_ID_TOPLEVEL_XID) {
                need(rec, off, p, 4, remaining, lsn);
                p += 4;
                remaining -= 4;
            } else if (id <= MAX_BLOCK_ID) {
                if (id <= lastBlockId) {
                    throw new WalDamage("out-of-order block id " + id + " in record", lsn);
                }
                lastBlockId = id;
                need(rec, off, p, 3, remaining, lsn);
                int forkFlags = Bytes.u8(rec, off + p);
                int dataLength = Bytes.u16(rec, off + p + 1);
                p += 3;
                remaining -= 3;
                boolean hasData = (forkFlags & BKPBLOCK_HAS_DATA) != 0;
                if (hasData == (dataLength == 0)) {
                    throw new WalDamage("block data length " + dataLength + " contradicts its flags", lsn);
                }
                dataTotal += dataLength;
                if ((forkFlags & BKPBLOCK_HAS_IMAGE) != 0) {
                    need(rec, off, p, 5, remaining, lsn);
                    int imageLength = Bytes.u16(rec, off + p);
                    int imageInfo = Bytes.u8(rec, off + p + 4);
                    p += 5;
                    remaining -= 5;
                    boolean hole = (imageInfo & BKPIMAGE_HAS_HOLE) != 0;
                    if (hole && (imageInfo & compressedImageFlags) != 0) {
                        need(rec, off, p, 2, remaining, lsn);
                        p += 2;
                        remaining -= 2;
                    }
                    if (imageLength == 0 || imageLength > blockSize) {
                        throw new WalDamage("full-page image length " + imageLength + " is impossible", lsn);
                    }
                    dataTotal += imageLength;
                }
                if ((forkFlags & BKPBLOCK_SAME_REL) == 0) {
                    need(rec, off, p, RELFILENODE_SIZE, remaining, lsn);
                    p += RELFILENODE_SIZE;
                    remaining -= RELFILENODE_SIZE;
                    haveRel = true;
                } else if (!haveRel) {
                    throw new WalDamage("block reference says 'same relation' but there was none before", lsn);
                }
                need(rec, off, p, 4, remaining, lsn);
                p += 4;
                remaining -= 4;
            } else {
                throw new WalDamage("invalid block id " + id + " in record", lsn);
            }
        }
        if (remaining != dataTotal) {
            throw new WalDamage("record's block and data lengths do not add up to its total length", lsn);
        }
        return mainLength << 32 | (totalLength - mainLength);
    }

    private static int need(ByteBuffer rec, int off, int p, int n, long remaining, long lsn) throws WalDamage {
        if (remaining < n) {
            throw new WalDamage("record header runs past the record's length", lsn);
        }
        return Bytes.u8(rec, off + p);
    }
}
