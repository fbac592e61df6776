package io.pitrconsole.wal;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a run of archived segments the way recovery will, checking every record's CRC
 * ({@link WalSegmentReader.Checks#FULL}), so that a flipped byte in a record body is found before
 * a restore instead of in the middle of one. The index's cheaper checks step over such bodies.
 */
public final class WalRecordCheck {
    /**
     * One segment whose bytes are not valid WAL, and where reading stopped.
     *
     * @param before the transaction ends read in it before the damage
     */
    public record Damaged(WalSegmentName segment, Path file, String damage, Lsn at, List<XactEnd> before) {
        public Damaged {
            before = List.copyOf(before);
        }
    }

    /** What a check read and found. */
    public record Result(int segments, long bytesRead, List<Damaged> damaged) {
        public Result {
            damaged = List.copyOf(damaged);
        }
    }

    private WalRecordCheck() {
    }

    /**
     * Checks the given segment files, in WAL order; a record running into the next segment is
     * finished from the next file in the list when that one follows it directly.
     */
    public static Result check(List<Path> files, long segmentSize, ProgressListener progress, Cancellation cancel) {
        return checkSources(files.stream().map(SegmentSource::of).toList(), segmentSize, progress, cancel);
    }

    /** Like {@link #check(List, long, ProgressListener, Cancellation)}, for files of a WAL archive named as it lists them. */
    public static Result check(WalStore wal, List<String> names, long segmentSize, ProgressListener progress, Cancellation cancel) {
        return checkSources(names.stream().map(n -> SegmentSource.of(wal, n, -1)).toList(), segmentSize, progress, cancel);
    }

    private static Result checkSources(List<SegmentSource> files, long segmentSize, ProgressListener progress, Cancellation cancel) {
        WalSegmentReader.Scanner scanner = WalSegmentReader.scanner(WalSegmentReader.Checks.FULL);
        List<Damaged> damaged = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            cancel.throwIfCancelled("checking the WAL");
            SegmentSource f = files.get(i);
            WalSegmentName name = WalSegmentName.parse(f.fileName(), segmentSize);
            Optional<SegmentSource> next = Optional.empty();
            if (i + 1 < files.size()) {
                WalSegmentName n = WalSegmentName.parse(files.get(i + 1).fileName(), segmentSize);
                if (n.segmentNumber() == name.segmentNumber() + 1) {
                    next = Optional.of(files.get(i + 1));
                }
            }
            progress.progress(i, files.size(), "checking " + f.fileName());
            SegmentScan scan;
            try {
                scan = scanner.scan(name, f, next);
            } catch (UnsupportedWalException e) {
                throw e;
            } catch (PitrException unreadable) {
                damaged.add(new Damaged(name, f.file(), unreadable.getMessage(), name.startLsn(), List.of()));
                continue;
            }
            bytes += scan.bytesRead();
            if (scan.info().damage().isPresent()) {
                Lsn at = scan.damageLsn().orElse(name.startLsn());
                // a file refused whole (its size, or a compressed or encrypted file that fails after the records read) is damaged
                // from its start: restore_command hands the server none of it, so none of its transaction ends comes before
                List<XactEnd> before = scan.transactions().stream().filter(x -> x.lsn().compareTo(at) < 0).toList();
                damaged.add(new Damaged(name, f.file(), scan.info().damage().get(), at, before));
            }
        }
        progress.progress(files.size(), files.size(), "checked " + files.size() + " WAL file(s)");
        return new Result(files.size(), bytes, damaged);
    }
}
