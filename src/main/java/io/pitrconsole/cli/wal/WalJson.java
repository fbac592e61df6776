package io.pitrconsole.cli.wal;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalGap;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON shapes of WAL values: segment names as their file names, absent values as null. */
public final class WalJson {
    private WalJson() {
    }

    public static Map<String, Object> window(RecoveryWindow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backup", w.backupId());
        m.put("timeline", w.timeline());
        m.put("from", w.from());
        m.put("to", w.to());
        m.put("fromLsn", w.fromLsn());
        m.put("toLsn", w.toLsn());
        m.put("endedByGap", w.endedByGap().map(WalJson::gap).orElse(null));
        return m;
    }

    /** A window, saying whether its timeline was abandoned by a rollback. */
    public static Map<String, Object> window(RecoveryWindow w, RecoveryWindows all) {
        Map<String, Object> m = window(w);
        m.put("abandoned", all.isAbandoned(w.timeline()));
        return m;
    }

    static Map<String, Object> abandoned(AbandonedTimeline a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeline", a.timeline());
        m.put("parent", a.parent());
        m.put("branchLsn", a.branchLsn());
        m.put("continuedOn", a.continuedOn());
        m.put("abandonedAt", a.abandonedAt());
        m.put("restore", a.restoreId());
        m.put("backup", a.backupId());
        m.put("target", a.target());
        m.put("dataDirectory", a.dataDirectory());
        return m;
    }

    static Map<String, Object> gap(WalGap g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeline", g.timeline());
        m.put("after", g.after().toString());
        m.put("missing", g.missing().stream().map(Object::toString).toList());
        return m;
    }

    public static Map<String, Object> restorePoint(RestorePoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("time", p.time());
        m.put("lsn", p.lsn());
        m.put("timeline", p.timeline());
        return m;
    }

    static Map<String, Object> damaged(SegmentInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segment", s.name().toString());
        m.put("file", s.file().getFileName().toString());
        m.put("reason", s.damage().orElse(""));
        return m;
    }
}
