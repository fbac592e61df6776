package io.pitrconsole.recovery.run;

import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.wal.WalRecordCheck;
import io.pitrconsole.wal.XactEnd;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks every record's CRC in exactly the WAL files a plan replays, and that each file is whole
 * (a segment's size; a compressed one decompresses cleanly to its end), before anything is restored.
 * The index behind windows and planning steps over the bodies of records it takes no values from
 * (mostly full-page images), so a flipped byte there passes planning; recovery would stop at that
 * record, failing the restore (a target after it is never reached) or, to the latest WAL, ending
 * early and silently losing what came after.
 */
public final class ReplayedWalCheck {
    /** One damaged file recovery would read, with what to do about it. */
    public record Problem(String segment, String detail, String hint) {
    }

    /**
     * What was read and what was wrong.
     *
     * @param damagedFiles every file found damaged, named as the archive lists it, whether or not
     *                     recovery reads as far as the damage
     */
    public record Result(int files, long bytes, double seconds, List<Problem> problems, Set<String> damagedFiles) {
        public String summary() {
            return files + " WAL file(s) the restore replays, " + ByteSize.of(bytes).human() + " read: each record's CRC checked"
                    + " up to where recovery stops, each file's size checked and compressed ones decompressed to their end, in "
                    + String.format("%.1f s", seconds);
        }
    }

    private ReplayedWalCheck() {
    }

    /**
     * True when recovery to a time target stops at this transaction end, as recoveryStopsBefore
     * decides: the first one later than the target (inclusive) or not earlier (exclusive). The
     * plan ends with the first segment holding such a record, but it knows that only per segment,
     * so damage after the record in that segment is never read.
     */
    static boolean stopsBefore(RecoveryTarget target, XactEnd x) {
        if (target.kind() != RecoveryTarget.Kind.TIME) {
            return false;
        }
        Instant t = target.time().toInstant();
        return target.inclusive() ? x.time().isAfter(t) : !x.time().isBefore(t);
    }

    /**
     * Reads the files (names in wal_archive, in replay order); damage at or after {@code walEnd}
     * lies beyond where recovery stops reading and is not counted, nor is damage after a
     * transaction end at which a time target stops recovery. Recovery to the latest WAL has no
     * such end: it reads every file it can, so any damage in them counts (the plan's end is where
     * the index already saw it, and replay would end there too, short of the archive's WAL).
     */
    public static Result run(WalStore wal, List<String> fileNames, long segmentSize, Optional<Lsn> walEnd, RecoveryTarget target,
                      ProgressListener progress, Cancellation cancel) {
        long t0 = System.nanoTime();
        WalRecordCheck.Result r = WalRecordCheck.check(wal, fileNames, segmentSize, progress, cancel);
        Optional<Lsn> end = target.kind() == RecoveryTarget.Kind.LATEST ? Optional.empty() : walEnd;
        List<Problem> problems = r.damaged().stream()
                .filter(d -> end.map(e -> d.at().compareTo(e) < 0).orElse(true))
                .filter(d -> d.before().stream().noneMatch(x -> stopsBefore(target, x)))
                .map(d -> new Problem(d.segment().toString(), "WAL file " + d.file().getFileName() + " is damaged: " + d.damage(),
                        "recovery stops at " + d.at() + ": a restore to a later target fails there, and one to the latest WAL ends"
                                + " there without an error, losing everything after it. Put an intact copy of " + d.segment()
                                + " into the WAL archive " + wal.describe() + " (the server's pg_wal may still hold it), or choose a target before it, and take a new backup"))
                .toList();
        Set<String> damaged = r.damaged().stream().map(d -> d.file().getFileName().toString()).collect(Collectors.toUnmodifiableSet());
        return new Result(r.segments(), r.bytesRead(), (System.nanoTime() - t0) / 1e9, problems, damaged);
    }
}
