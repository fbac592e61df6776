package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.util.List;
import java.util.Optional;

/**
 * Everything the reader found in one segment: the summary plus the individual records of interest.
 *
 * @param pageTimelineFirst timeline id in the first page header read (0 if none was valid)
 * @param pageTimelineLast  timeline id in the last page header read (0 if none was valid)
 * @param damageLsn         where reading stopped because of damage
 * @param switchLsn         location of the segment-switch record, after which the segment is unused
 * @param bytesRead         decompressed bytes taken from the file (and from the next one)
 */
public record SegmentScan(SegmentInfo info, long systemIdentifier, int pageTimelineFirst, int pageTimelineLast,
                          List<XactEnd> transactions, List<CheckpointRecord> checkpoints,
                          List<EndOfRecovery> endsOfRecovery, Optional<Lsn> switchLsn, Optional<Lsn> damageLsn,
                          int recordCount, long bytesRead) {
    public SegmentScan {
        transactions = List.copyOf(transactions);
        checkpoints = List.copyOf(checkpoints);
        endsOfRecovery = List.copyOf(endsOfRecovery);
    }
}
