package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the few record types recovery cares about into values; everything else is skipped. */
final class RecordInterpreter {
    static final int RM_XLOG = 0;
    static final int RM_XACT = 1;
    static final int XLOG_SWITCH = 0x40;

    private static final int XLOG_CHECKPOINT_SHUTDOWN = 0x00;
    private static final int XLOG_CHECKPOINT_ONLINE = 0x10;
    private static final int XLOG_RESTORE_POINT = 0x70;
    private static final int XLOG_END_OF_RECOVERY = 0x90;
    private static final int XACT_OPMASK = 0x70;
    private static final int XACT_HAS_INFO = 0x80;
    private static final int XINFO_HAS_DBINFO = 1;
    private static final int XINFO_HAS_SUBXACTS = 1 << 1;
    private static final int XINFO_HAS_RELFILENODES = 1 << 2;
    private static final int XINFO_HAS_INVALS = 1 << 3;
    private static final int XINFO_HAS_TWOPHASE = 1 << 4;
    private static final int XINFO_HAS_DROPPED_STATS = 1 << 8;
    private static final int CHECKPOINT_TIME_OFFSET = 64;
    private static final int RESTORE_POINT_NAME_SIZE = 64;
    // TimestampTz counts microseconds from 2000-01-01 00:00:00 UTC
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    final List<XactEnd> transactions = new ArrayList<>();
    final List<RestorePoint> restorePoints = new ArrayList<>();
    final List<CheckpointRecord> checkpoints = new ArrayList<>();
    final List<EndOfRecovery> endsOfRecovery = new ArrayList<>();
    private final boolean keepTransactions;
    private boolean anyTransaction;
    private long firstTransactionTime;
    private long lastTransactionTime;

    /**
     * {@code keepTransactions}: every transaction end becomes an {@link XactEnd}; without, only the
     * first and last times are kept, which is all a segment's summary needs (a segment of tiny
     * transactions holds 150,000 of them, and three objects each cost more than reading them).
     */
    RecordInterpreter(boolean keepTransactions) {
        this.keepTransactions = keepTransactions;
    }

    /** Time of the first transaction end read, if any. */
    Optional<Instant> firstTransactionTime() {
        return anyTransaction ? Optional.of(pgTimestamp(firstTransactionTime)) : Optional.empty();
    }

    /** Time of the last transaction end read, if any. */
    Optional<Instant> lastTransactionTime() {
        return anyTransaction ? Optional.of(pgTimestamp(lastTransactionTime)) : Optional.empty();
    }

    static boolean interesting(int rmid) {
        return rmid == RM_XLOG || rmid == RM_XACT;
    }

    /** Reads one record's main data ({@code main} is the offset into {@code rec}). */
    void interpret(ByteBuffer rec, int main, int mainLength, int rmid, int info, long xid, long lsn, int timeline)
            throws WalDamage {
        int op = info & 0xF0;
        if (rmid == RM_XACT) {
            XactKind kind = switch (info & XACT_OPMASK) {
                case 0x00 -> XactKind.COMMIT;
                case 0x20 -> XactKind.ABORT;
                case 0x30 -> XactKind.COMMIT_PREPARED;
                case 0x40 -> XactKind.ABORT_PREPARED;
                default -> null;
            };
            if (kind == null) {
                return;
            }
            need(mainLength, 8, "transaction", lsn);
            long time = Bytes.i64(rec, main);
            if (!anyTransaction) {
                anyTransaction = true;
                firstTransactionTime = time;
            }
            lastTransactionTime = time;
            if (keepTransactions) {
                long recordXid = kind == XactKind.COMMIT_PREPARED || kind == XactKind.ABORT_PREPARED
                        ? preparedXid(rec, main, mainLength, info, kind.commits(), xid)
                        : xid;
                transactions.add(new XactEnd(kind, recordXid, pgTimestamp(time), new Lsn(lsn)));
            }
        } else if (rmid == RM_XLOG) {
            if (op == XLOG_CHECKPOINT_SHUTDOWN || op == XLOG_CHECKPOINT_ONLINE) {
                need(mainLength, CHECKPOINT_TIME_OFFSET + 8, "checkpoint", lsn);
                checkpoints.add(new CheckpointRecord(new Lsn(lsn), op == XLOG_CHECKPOINT_SHUTDOWN,
                        new Lsn(Bytes.i64(rec, main)), Bytes.i32(rec, main + 8), Bytes.i32(rec, main + 12),
                        Instant.ofEpochSecond(Bytes.i64(rec, main + CHECKPOINT_TIME_OFFSET))));
            } else if (op == XLOG_RESTORE_POINT) {
                need(mainLength, 8 + RESTORE_POINT_NAME_SIZE, "restore point", lsn);
                int len = 0;
                while (len < RESTORE_POINT_NAME_SIZE && rec.get(main + 8 + len) != 0) {
                    len++;
                }
                byte[] raw = new byte[len];
                rec.get(main + 8, raw, 0, len);
                String name = new String(raw, StandardCharsets.UTF_8);
                restorePoints.add(new RestorePoint(name, pgTimestamp(Bytes.i64(rec, main)), new Lsn(lsn), timeline));
            } else if (op == XLOG_END_OF_RECOVERY) {
                need(mainLength, 16, "end-of-recovery", lsn);
                endsOfRecovery.add(new EndOfRecovery(new Lsn(lsn), pgTimestamp(Bytes.i64(rec, main)),
                        Bytes.i32(rec, main + 8), Bytes.i32(rec, main + 12)));
            }
        }
    }

    /**
     * The prepared transaction's xid sits after the optional parts of xl_xact_commit/abort, in the
     * order the server writes them; falls back to the record's own xid if the parts do not fit.
     */
    private static long preparedXid(ByteBuffer rec, int main, int mainLength, int info, boolean commit, long recordXid) {
        if ((info & XACT_HAS_INFO) == 0) {
            return recordXid;
        }
        int end = main + mainLength;
        int p = main + 8;
        if (p + 4 > end) {
            return recordXid;
        }
        int xinfo = Bytes.i32(rec, p);
        p += 4;
        if ((xinfo & XINFO_HAS_DBINFO) != 0) {
            p += 8;
        }
        p = skipArray(rec, p, end, xinfo, XINFO_HAS_SUBXACTS, 4);
        p = skipArray(rec, p, end, xinfo, XINFO_HAS_RELFILENODES, 12);
        p = skipArray(rec, p, end, xinfo, XINFO_HAS_DROPPED_STATS, 12);
        if (commit) {
            p = skipArray(rec, p, end, xinfo, XINFO_HAS_INVALS, 16);
        }
        if ((xinfo & XINFO_HAS_TWOPHASE) == 0 || p < 0 || p + 4 > end) {
            return recordXid;
        }
        return Bytes.u32(rec, p);
    }

    private static int skipArray(ByteBuffer rec, int p, int end, int xinfo, int flag, int itemSize) {
        if (p < 0 || (xinfo & flag) == 0) {
            return p;
        }
        if (p + 4 > end) {
            return -1;
        }
        long count = Bytes.u32(rec, p);
        long next = p + 4 + count * itemSize;
        return next > end ? -1 : (int) next;
    }

    private static void need(int have, int want, String what, long lsn) throws WalDamage {
        if (have < want) {
            throw new WalDamage(what + " record has " + have + " bytes of data, needs " + want, lsn);
        }
    }

    /** Converts a PostgreSQL TimestampTz to an Instant, keeping the microseconds. */
    static Instant pgTimestamp(long micros) {
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
