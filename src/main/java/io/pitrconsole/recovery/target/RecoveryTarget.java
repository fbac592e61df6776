package io.pitrconsole.recovery.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.Timestamps;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a restore should stop: a time, a restore point name, an LSN, a transaction id, the end of
 * the backup (immediate) or the end of the archived WAL (latest). Times always carry an explicit
 * offset. The timeline is explicit once resolved by the planner, never PostgreSQL's silent 'latest'.
 *
 * @param timeline the timeline to recover along; null until the planner has chosen it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecoveryTarget(Kind kind, String value, OffsetDateTime time, boolean inclusive, Integer timeline) {

    /** The kinds of target PostgreSQL knows, plus 'latest' (no target: replay all archived WAL). */
    public enum Kind { TIME, NAME, LSN, XID, IMMEDIATE, LATEST }


    public RecoveryTarget {
        if (kind == null) {
            throw new IllegalArgumentException("kind");
        }
    }

    /** A time as a DBA types it ('2026-11-25 14:03', with or without zone); no zone means defaultZone. */
    public static RecoveryTarget time(String text, ZoneId defaultZone) {
        return new RecoveryTarget(Kind.TIME, null, Timestamps.parse(text, defaultZone), true, null);
    }

    public static RecoveryTarget time(OffsetDateTime t) {
        return new RecoveryTarget(Kind.TIME, null, t, true, null);
    }

    public static RecoveryTarget name(String restorePoint) {
        if (restorePoint == null || restorePoint.isBlank() || restorePoint.length() > 63) {
            throw new PitrException("'" + restorePoint + "' is not a restore point name",
                    "restore point names are 1 to 63 characters, as given to pg_create_restore_point()");
        }
        return new RecoveryTarget(Kind.NAME, restorePoint, null, true, null);
    }

    public static RecoveryTarget lsn(String text) {
        return new RecoveryTarget(Kind.LSN, Lsn.parse(text).toString(), null, true, null);
    }

    public static RecoveryTarget xid(String text) {
        String t = text == null ? "" : text.trim();
        if (!t.matches("\\d{1,19}")) {
            throw new PitrException("'" + text + "' is not a transaction id",
                    Hint.of("give the xid as a number, e.g. --to-xid 7421", "type the transaction id as a number, e.g. 7421"));
        }
        return new RecoveryTarget(Kind.XID, t, null, true, null);
    }

    public static RecoveryTarget immediate() {
        return new RecoveryTarget(Kind.IMMEDIATE, null, null, true, null);
    }

    public static RecoveryTarget latest() {
        return new RecoveryTarget(Kind.LATEST, null, null, true, null);
    }

    public RecoveryTarget withInclusive(boolean inc) {
        return new RecoveryTarget(kind, value, time, inc, timeline);
    }

    public RecoveryTarget onTimeline(int tli) {
        if (tli < 1) {
            throw new PitrException("timeline " + tli + " does not exist", "timelines start at 1");
        }
        return new RecoveryTarget(kind, value, time, inclusive, tli);
    }

    /** The PostgreSQL settings naming this target (without restore_command and action). */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        switch (kind) {
            case TIME -> s.put("recovery_target_time", Timestamps.micros(time));
            case NAME -> s.put("recovery_target_name", value);
            case LSN -> s.put("recovery_target_lsn", value);
            case XID -> s.put("recovery_target_xid", value);
            case IMMEDIATE -> s.put("recovery_target", "immediate");
            case LATEST -> { }
        }
        if (kind == Kind.TIME || kind == Kind.LSN || kind == Kind.XID) {
            s.put("recovery_target_inclusive", inclusive ? "on" : "off");
        }
        if (timeline == null) {
            throw new IllegalStateException("the timeline must be chosen before settings are written");
        }
        s.put("recovery_target_timeline", String.valueOf(timeline));
        return s;
    }

    /** For people: 'time 2026-11-25 14:03:00+01:00 (inclusive) on timeline 1'. */
    public String describe() {
        String what = switch (kind) {
            case TIME -> "time " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]xxx").format(time);
            case NAME -> "restore point '" + value + "'";
            case LSN -> "LSN " + value;
            case XID -> "transaction " + value;
            case IMMEDIATE -> "end of the backup (immediate)";
            case LATEST -> "end of the archived WAL (latest)";
        };
        if (kind == Kind.TIME || kind == Kind.LSN || kind == Kind.XID) {
            what += inclusive ? " (inclusive)" : " (exclusive)";
        }
        return timeline == null ? what : what + " on timeline " + timeline;
    }
}
