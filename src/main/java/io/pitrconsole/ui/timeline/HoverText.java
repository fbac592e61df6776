package io.pitrconsole.ui.timeline;

import io.pitrconsole.wal.RestorePoint;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** What the hover tip says about a point of a lane: the backup, restore point or gap under it, else the moment. */
public final class HoverText {
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private final ZoneId zone;

    public HoverText(ZoneId zone) {
        this.zone = zone;
    }

    /** A time with its offset, to the microsecond. */
    public String time(long micros) {
        return EXACT.format(TimeScale.instant(micros).atZone(zone));
    }

    public String time(Instant t) {
        return EXACT.format(t.atZone(zone));
    }

    /** The tip for moment t on that lane; tolerance is how far (in microseconds) a marker may be from t. */
    public String describe(TimelineData.Lane lane, long t, long tolerance, Optional<Long> snapped) {
        int b = lane.backups().nearest(t, tolerance);
        if (b >= 0) {
            TimelineData.BackupMark m = lane.backups().get(b);
            return "Backup " + m.id() + " (" + m.status() + (m.restorable() ? "" : ", not restorable") + ")\n"
                    + "start " + time(m.start()) + (m.startLsn() == null ? "" : "  LSN " + m.startLsn()) + "\n"
                    + "stop  " + time(m.stop()) + (m.stopLsn() == null ? "" : "  LSN " + m.stopLsn());
        }
        int p = lane.restorePoints().nearest(t, tolerance);
        if (p >= 0) {
            RestorePoint rp = lane.restorePoints().get(p);
            return "Restore point '" + rp.name() + "'\n" + time(rp.time()) + "  LSN " + rp.lsn();
        }
        Optional<TimelineData.GapMark> gap = lane.gapAt(t, tolerance);
        if (gap.isPresent()) {
            var g = gap.get().gap();
            return "WAL gap on timeline " + g.timeline() + ": " + g.missing().size() + " segment(s) missing after " + g.after()
                    + "\nrecovery cannot replay past " + time(gap.get().from());
        }
        StringBuilder sb = new StringBuilder(time(t)).append("  timeline ").append(lane.timeline());
        lane.segmentAt(t, 0).ifPresent(s -> sb.append("\nsegment ").append(s.name()).append("  LSN ").append(s.startLsn())
                .append(" - ").append(s.endLsn()));
        if (snapped.isPresent() && snapped.get() == t) {
            sb.append("\nrestorable");
        } else if (snapped.isPresent()) {
            sb.append("\nnot restorable; nearest restorable moment ").append(time(snapped.get()));
        } else {
            sb.append("\nnot restorable");
        }
        return sb.toString();
    }
}
