package io.pitrconsole.wal;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

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
        return checkSources(files.stream().map(p -> p.getFileName().toString()).toList(), i -> SegmentSource.of(files.get(i)), segmentSize,
                progress, cancel);
    }

    /**
     * Like {@link #check(List, long, ProgressListener, Cancellation)}, for files of a WAL archive named as it lists them.
     * Each file is asked of the archive only when the check comes to it (an archive may still be fetching the later ones).
     */
    public static Result check(WalStore wal, List<String> names, long segmentSize, ProgressListener progress, Cancellation cancel) {
        return checkSources(names, i -> SegmentSource.of(wal, names.get(i), -1), segmentSize, progress, cancel);
    }

    private static Result checkSources(List<String> names, IntFunction<SegmentSource> sourceOf, long segmentSize, ProgressListener progress,
                                       Cancellation cancel) {
        Map<Integer, SegmentSource> sources = new HashMap<>();
        IntFunction<SegmentSource> source = i -> sources.computeIfAbsent(i, sourceOf::apply);
        WalSegmentReader.Scanner scanner = WalSegmentReader.scanner(WalSegmentReader.Checks.FULL);
        List<Damaged> damaged = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < names.size(); i++) {
            cancel.throwIfCancelled("checking the WAL");
            SegmentSource f = source.apply(i);
            sources.remove(i - 1);
            // a copy under another name (decompressed ahead of the check) is reported by the name the archive gave
            Path file = f.fileName().equals(names.get(i)) ? f.file() : Path.of(names.get(i));
            WalSegmentName name = WalSegmentName.parse(names.get(i), segmentSize);
            Optional<SegmentSource> next = Optional.empty();
            if (i + 1 < names.size()) {
                WalSegmentName n = WalSegmentName.parse(names.get(i + 1), segmentSize);
                if (n.segmentNumber() == name.segmentNumber() + 1) {
                    next = Optional.of(source.apply(i + 1));
                }
            }
            progress.progress(i, names.size(), "checking " + names.get(i));
            SegmentScan scan;
            try {
                scan = scanner.scan(name, f, next);
            } catch (UnsupportedWalException e) {
                throw e;
            } catch (PitrException unreadable) {
                damaged.add(new Damaged(name, file, unreadable.getMessage(), name.startLsn(), List.of()));
                continue;
            }
            bytes += scan.bytesRead();
            if (scan.info().damage().isPresent()) {
                Lsn at = scan.damageLsn().orElse(name.startLsn());
                // a file refused whole (its size, or a compressed or encrypted file that fails after the records read) is damaged
                // from its start: restore_command hands the server none of it, so none of its transaction ends comes before
                List<XactEnd> before = scan.transactions().stream().filter(x -> x.lsn().compareTo(at) < 0).toList();
                damaged.add(new Damaged(name, file, scan.info().damage().get(), at, before));
            }
        }
        progress.progress(names.size(), names.size(), "checked " + names.size() + " WAL file(s)");
        return new Result(names.size(), bytes, damaged);
    }
}
