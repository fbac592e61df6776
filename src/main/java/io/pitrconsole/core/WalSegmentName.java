package io.pitrconsole.core;

import java.util.regex.Pattern;

/**
 * The 24-hex-digit name of a WAL segment file: timeline, log and segment number. Segment numbers
 * are counted in units of the segment size, so converting to and from LSNs needs it.
 */
public record WalSegmentName(int timeline, long segmentNumber, long segmentSize) implements Comparable<WalSegmentName> {
    public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[0-9A-F]{24}");

    public WalSegmentName {
        if (segmentSize <= 0 || Long.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segment size must be a power of two: " + segmentSize);
        }
    }

    public static boolean looksLikeSegment(String fileName) {
        return fileName.length() >= 24 && NAME.matcher(fileName.substring(0, 24)).matches();
    }

    public static WalSegmentName parse(String name, long segmentSize) {
        if (name == null || name.length() < 24 || !NAME.matcher(name.substring(0, 24)).matches()) {
            throw new PitrException("'" + name + "' is not a WAL segment name",
                    "a segment name is 24 upper-case hex digits, for example 000000010000000000000003");
        }
        int tli = (int) Long.parseLong(name.substring(0, 8), 16);
        long log = Long.parseLong(name.substring(8, 16), 16);
        long seg = Long.parseLong(name.substring(16, 24), 16);
        long segmentsPerLog = 0x1_0000_0000L / segmentSize;
        return new WalSegmentName(tli, log * segmentsPerLog + seg, segmentSize);
    }

    public static WalSegmentName containing(int timeline, Lsn lsn, long segmentSize) {
        return new WalSegmentName(timeline, lsn.segmentNumber(segmentSize), segmentSize);
    }

    public Lsn startLsn() {
        return new Lsn(segmentNumber * segmentSize);
    }

    public WalSegmentName next() {
        return new WalSegmentName(timeline, segmentNumber + 1, segmentSize);
    }

    @Override
    public int compareTo(WalSegmentName o) {
        int c = Integer.compareUnsigned(timeline, o.timeline);
        return c != 0 ? c : Long.compareUnsigned(segmentNumber, o.segmentNumber);
    }

    @Override
    public String toString() {
        long segmentsPerLog = 0x1_0000_0000L / segmentSize;
        return String.format("%08X%08X%08X", timeline, segmentNumber / segmentsPerLog, segmentNumber % segmentsPerLog);
    }
}
