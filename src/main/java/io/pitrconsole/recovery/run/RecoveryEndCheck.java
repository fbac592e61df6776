package io.pitrconsole.recovery.run;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether recovery got as far as the plan said. To the latest WAL the server has no target to
 * miss: a WAL file it cannot restore (removed meanwhile, unreadable, truncated) simply ends
 * recovery there, and the server promotes as if all was well. So the replayed end
 * (pg_last_wal_replay_lsn(), the end of the last record replayed, which stays put after promotion)
 * must reach the plan's end. With a target the server itself fails when the WAL runs out before it;
 * its "recovery stopping ..." line must still be there and name the planned target.
 */
final class RecoveryEndCheck {
    private static final Pattern LSN_STOP = Pattern.compile("recovery stopping (before|after) WAL location \\(LSN\\) \"([0-9A-Fa-f]+/[0-9A-Fa-f]+)\"");
    private static final Pattern XACT_STOP = Pattern.compile("recovery stopping (before|after) (?:commit|abort) of transaction (\\d+)"
            + "(?:, time (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?[+-]\\d{2}(?::?\\d{2})?))?");
    private static final String CONSISTENCY = "recovery stopping after reaching consistency";
    private static final DateTimeFormatter SERVER_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:mm", "+00").toFormatter();
    private static final DateTimeFormatter SERVER_TIME_SHORT_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH", "+00").toFormatter();

    /**
     * The outcome.
     *
     * @param reached true when recovery went as far as planned
     * @param detail  what was compared, for the report either way
     * @param hint    what to do when it did not
     */
    record Verdict(boolean reached, String detail, String hint) {
    }

    private final RecoveryTarget target;
    private final Lsn planEnd;
    private final List<String> walFiles;
    private final long segmentSize;

    /** planEnd: where the plan's WAL ends for the latest WAL (null when the plan does not know); walFiles in replay order. */
    RecoveryEndCheck(RecoveryTarget target, Lsn planEnd, List<String> walFiles, long segmentSize) {
        this.target = target;
        this.planEnd = planEnd;
        this.walFiles = List.copyOf(walFiles);
        this.segmentSize = segmentSize;
    }

    /** Judges the server's stopping line (or "redo done" line) and where it says replay ended (null when it cannot say). */
    Verdict judge(String stoppingLine, Lsn replayed) {
        String line = stoppingLine == null ? "" : stoppingLine;
        return switch (target.kind()) {
            case LATEST -> latest(replayed);
            case IMMEDIATE -> line.contains(CONSISTENCY)
                    ? new Verdict(true, "stopped where the backup became consistent" + at(replayed), null)
                    : noStop("reaching consistency at the backup's end", line);
            case LSN -> lsn(line);
            case NAME -> line.contains("recovery stopping at restore point \"" + target.value() + "\"")
                    ? new Verdict(true, "stopped at restore point '" + target.value() + "'" + at(replayed), null)
                    : noStop("restore point '" + target.value() + "'", line);
            case XID -> xid(line, replayed);
            case TIME -> time(line, replayed);
        };
    }

    private Verdict latest(Lsn replayed) {
        if (replayed == null) {
            return new Verdict(false, "the server does not say how far it replayed the WAL (pg_last_wal_replay_lsn() is empty)",
                    "see the server log of the restore");
        }
        if (planEnd != null) {
            if (replayed.compareTo(planEnd) >= 0) {
                return new Verdict(true, "replayed the WAL to " + replayed + ", the plan's end " + planEnd, null);
            }
            return shortOf(replayed, "the plan replays to " + planEnd);
        }
        // without the plan's end, the replay must at least get into the last file the plan lists
        Optional<WalSegmentName> last = walFiles.isEmpty() ? Optional.empty() : Optional.of(segment(walFiles.get(walFiles.size() - 1)));
        if (last.isEmpty() || replayed.segmentNumber(segmentSize) >= last.get().segmentNumber()) {
            return new Verdict(true, "replayed the WAL to " + replayed + ", into the plan's last WAL file", null);
        }
        return shortOf(replayed, "the plan replays into WAL file " + walFiles.get(walFiles.size() - 1));
    }

    private Verdict shortOf(Lsn replayed, String promised) {
        String file = firstUnreplayed(replayed).map(f -> ": WAL file " + f + " could not be restored or is damaged").orElse("");
        return new Verdict(false, "recovery stopped at " + replayed + " but " + promised + file,
                "the restored cluster lacks what came after " + replayed + ". The server log of the restore says why the file was"
                        + " not replayed; if it was removed or damaged after planning (a cleanup, a copy), put an intact copy back"
                        + " into the WAL archive, or restore to a target before " + replayed);
    }

    /** The file replay needed next: the one holding the replayed end (at a segment's start: that segment). */
    Optional<String> firstUnreplayed(Lsn replayed) {
        long seg = replayed.segmentNumber(segmentSize);
        return walFiles.stream().filter(f -> segment(f).segmentNumber() >= seg).findFirst();
    }

    private Verdict lsn(String line) {
        Lsn wanted = Lsn.parse(target.value());
        Matcher m = LSN_STOP.matcher(line);
        if (!m.find()) {
            return noStop("WAL location " + wanted, line);
        }
        Lsn at = Lsn.parse(m.group(2));
        String side = target.inclusive() ? "after" : "before";
        if (at.compareTo(wanted) < 0 || !m.group(1).equals(side)) {
            return wrongStop("WAL location " + wanted + " (" + side + ")", line);
        }
        return new Verdict(true, "stopped " + m.group(1) + " the record at " + at + ", the planned location " + wanted, null);
    }

    private Verdict xid(String line, Lsn replayed) {
        long wanted = Long.parseUnsignedLong(target.value()) & 0xFFFFFFFFL;
        Matcher m = XACT_STOP.matcher(line);
        if (!m.find()) {
            return noStop("transaction " + wanted, line);
        }
        if (Long.parseLong(m.group(2)) != wanted) {
            return wrongStop("transaction " + wanted, line);
        }
        return new Verdict(true, "stopped " + m.group(1) + " the end of transaction " + wanted + at(replayed), null);
    }

    private Verdict time(String line, Lsn replayed) {
        Matcher m = XACT_STOP.matcher(line);
        if (!m.find() || m.group(3) == null) {
            return noStop("the first transaction end after " + target.time(), line);
        }
        OffsetDateTime stop;
        try {
            stop = parseServerTime(m.group(3));
        } catch (DateTimeParseException e) {
            // the server said it stopped at a transaction end; only its time is in a form we do not read
            return new Verdict(true, "stopped " + m.group(1) + " transaction " + m.group(2) + " (time " + m.group(3) + ")" + at(replayed), null);
        }
        OffsetDateTime wanted = target.time();
        boolean past = target.inclusive() ? stop.isAfter(wanted) : !stop.isBefore(wanted);
        if (!past) {
            return wrongStop("the first transaction end " + (target.inclusive() ? "after " : "at or after ") + wanted, line);
        }
        return new Verdict(true, "stopped " + m.group(1) + " transaction " + m.group(2) + " of " + m.group(3)
                + ", the first to end " + (target.inclusive() ? "after " : "at or after ") + wanted + at(replayed), null);
    }

    static OffsetDateTime parseServerTime(String text) {
        try {
            return OffsetDateTime.parse(text, SERVER_TIME);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text, SERVER_TIME_SHORT_OFFSET);
        }
    }

    private static Verdict noStop(String planned, String line) {
        return new Verdict(false, "the server did not say it stopped at the planned target (" + planned + ")"
                + (line.isEmpty() ? "" : "; it said: " + line),
                "see the server log of the restore; the restored cluster may hold more or less than the target");
    }

    private static Verdict wrongStop(String planned, String line) {
        return new Verdict(false, "recovery stopped elsewhere than planned (" + planned + "): " + line,
                "see the server log of the restore; check the target's settings in postgresql.auto.conf of the restored cluster");
    }

    private static String at(Lsn replayed) {
        return replayed == null ? "" : " (replayed to " + replayed + ")";
    }

    private WalSegmentName segment(String fileName) {
        return WalSegmentName.parse(fileName, segmentSize);
    }
}
