package io.pitrconsole.recovery.window;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.target.TargetValidator;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.SegmentScan;
import io.pitrconsole.wal.WalSegmentReader;
import io.pitrconsole.wal.XactEnd;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Finds where recovery to a transaction id stops, by reading the archived segments of a recovery
 * path on demand. The index cache keeps only each segment's first and last transaction time, not
 * every xid (a segment of pgbench WAL ends about 900 transactions, one of small transactions tens
 * of thousands), so only an xid target pays for this read, with the index's cheap checks:
 * bench/xid measured about 0.4 s of CPU for a window of 103 segments (1.6 GB), where keeping
 * every xid would have made the cache, read by every windows, plan and health run, 121 times larger.
 * <p>PostgreSQL compares xids as it does in recoveryStopsBefore/After: a record's 32-bit xid equal
 * to recovery_target_xid, which it parsed as a 64-bit number and cut to 32 bits (so an epoch given
 * with txid_current()'s value is dropped). Xids wrap around after 2^32, so the first matching
 * record in WAL order from the backup's start is where recovery stops, and "nearest" xids are
 * measured the way TransactionIdPrecedes orders them: by the signed 32-bit difference.
 */
public final class XidLookup {
    /** Where on a path the target xid ends, or the transactions seen there when it does not. */
    public record Outcome(Optional<XactEnd> found, Optional<XactEnd> first, Optional<XactEnd> last,
                   Optional<XactEnd> below, Optional<XactEnd> above, int segmentsRead) {
    }

    /** What one segment (within bounds) holds that matters for one xid. */
    private record Summary(Optional<XactEnd> match, Optional<XactEnd> first, Optional<XactEnd> last,
                           Optional<XactEnd> below, Optional<XactEnd> above) {
    }

    private record Key(WalSegmentName name, Lsn lower, Lsn upper, Lsn consistent) {
    }

    private final int xid;
    private final Optional<WalStore> wal;
    private final WalSegmentReader.Scanner scanner = WalSegmentReader.scanner(WalSegmentReader.Checks.INDEX);
    private final Map<Key, Summary> read = new HashMap<>();
    private final ProgressListener progress;
    private final Cancellation cancel;

    /** {@code value} as the user gave it; PostgreSQL keeps its low 32 bits. Segments are read again from {@code wal} (by their files when empty). */
    public XidLookup(Optional<WalStore> wal, long value, ProgressListener progress, Cancellation cancel) {
        this.wal = wal;
        this.xid = (int) value;
        this.progress = progress;
        this.cancel = cancel;
    }

    /** The 32-bit xid PostgreSQL compares commit records with. */
    public long xid32() {
        return Integer.toUnsignedLong(xid);
    }

    /**
     * Walks the segments from {@code fromSegment} to the one holding {@code end} (exclusive),
     * taking only records at or after {@code start}; stops at the first record ending the xid.
     * Other transactions are offered as nearby ids only from {@code consistent} on, where a
     * target can stop.
     */
    public Outcome walk(long fromSegment, Lsn start, Lsn consistent, Lsn end, long segmentSize,
                 LongFunction<Optional<SegmentInfo>> segmentAt) {
        long last = end.segmentNumber(segmentSize);
        Optional<XactEnd> first = Optional.empty();
        Optional<XactEnd> lastSeen = Optional.empty();
        Optional<XactEnd> below = Optional.empty();
        Optional<XactEnd> above = Optional.empty();
        int count = 0;
        for (long n = fromSegment; n <= last; n++) {
            cancel.throwIfCancelled("looking for transaction " + xid32());
            Optional<SegmentInfo> s = segmentAt.apply(n);
            if (s.isEmpty()) {
                break;
            }
            progress.progress(n - fromSegment, last - fromSegment + 1, "looking for transaction " + xid32() + " in " + s.get().name());
            Summary sum = summary(s.get(), segmentAt.apply(n + 1), start, consistent, end, segmentSize);
            count++;
            if (first.isEmpty()) {
                first = sum.first();
            }
            lastSeen = sum.last().isPresent() ? sum.last() : lastSeen;
            below = closer(below, sum.below());
            above = closer(above, sum.above());
            if (sum.match().isPresent()) {
                return new Outcome(sum.match(), first, lastSeen, below, above, count);
            }
        }
        return new Outcome(Optional.empty(), first, lastSeen, below, above, count);
    }

    private Summary summary(SegmentInfo s, Optional<SegmentInfo> next, Lsn start, Lsn consistent, Lsn end, long segmentSize) {
        Lsn segStart = s.name().startLsn();
        Lsn segEnd = new Lsn(segStart.value() + segmentSize);
        // bounds that do not cut the segment do not change what it holds: one read serves every path through it
        Lsn lower = start.compareTo(segStart) > 0 ? start : null;
        Lsn upper = end.compareTo(segEnd) < 0 ? end : null;
        Lsn from = consistent.compareTo(segStart) > 0 ? consistent : null;
        return read.computeIfAbsent(new Key(s.name(), lower, upper, from), k -> {
            SegmentScan scan = wal.isPresent() ? scanner.scan(wal.get(), s, next)
                    : scanner.scan(s.name(), s.file(), next.map(SegmentInfo::file));
            Optional<XactEnd> match = Optional.empty();
            XactEnd first = null;
            XactEnd last = null;
            XactEnd below = null;
            XactEnd above = null;
            for (XactEnd x : scan.transactions()) {
                if ((lower != null && x.lsn().compareTo(lower) < 0) || (upper != null && x.lsn().compareTo(upper) >= 0)) {
                    continue;
                }
                if ((int) x.xid() == xid) {
                    match = Optional.of(x);
                    break;
                }
                if (from != null && x.lsn().compareTo(from) < 0) {
                    continue;
                }
                first = first == null ? x : first;
                last = x;
                int d = distance(x);
                if (d < 0 && (below == null || d > distance(below))) {
                    below = x;
                } else if (d > 0 && (above == null || d < distance(above))) {
                    above = x;
                }
            }
            return new Summary(match, Optional.ofNullable(first), Optional.ofNullable(last), Optional.ofNullable(below),
                    Optional.ofNullable(above));
        });
    }

    private int distance(XactEnd x) {
        return distance(x.xid(), xid);
    }

    /**
     * Signed distance of xid from target, as TransactionIdPrecedes sees it: negative means xid
     * precedes target. Xids are 32-bit and wrap, so this is the difference modulo 2^32 taken as
     * a signed int: 4294967295 precedes 3 by 4, although it is the larger number.
     */
    public static int distance(long xid, int target) {
        return (int) xid - target;
    }

    private Optional<XactEnd> closer(Optional<XactEnd> a, Optional<XactEnd> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Math.abs((long) distance(b.get())) < Math.abs((long) distance(a.get())) ? b : a;
    }

    /** How many segment reads this lookup made. */
    public int reads() {
        return read.size();
    }

    public static List<String> describe(Optional<XactEnd> x) {
        return x.map(e -> List.of("xid " + e.xid() + " (" + (e.kind().commits() ? "committed" : "aborted") + " "
                + TargetValidator.shown(e.time()) + ")")).orElse(List.of());
    }
}
