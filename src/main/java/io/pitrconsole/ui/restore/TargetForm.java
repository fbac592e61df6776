package io.pitrconsole.ui.restore;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.Timestamps;
import io.pitrconsole.recovery.target.RecoveryTarget.Kind;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Target step's fields: a kind and what that kind needs. A time is a date plus a clock time
 * with seconds (and fractions) in a zone, or a whole timestamp typed into the time field. The
 * resulting target, or why there is none, is recomputed on every change.
 */
public final class TargetForm {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    static final DateTimeFormatter CLOCK_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(Kind.TIME);
    private final ObjectProperty<LocalDate> date = new SimpleObjectProperty<>(LocalDate.now());
    private final StringProperty time = new SimpleStringProperty("");
    private final ObjectProperty<ZoneId> zone = new SimpleObjectProperty<>(ZoneId.systemDefault());
    private final StringProperty restorePoint = new SimpleStringProperty("");
    private final StringProperty lsn = new SimpleStringProperty("");
    private final StringProperty xid = new SimpleStringProperty("");
    private final BooleanProperty inclusive = new SimpleBooleanProperty(true);
    private final StringProperty timeline = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<RecoveryTarget> target = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    public TargetForm() {
        for (Observable o : new Observable[] {kind, date, time, zone, restorePoint, lsn, xid, inclusive, timeline}) {
            o.addListener(x -> recompute());
        }
        recompute();
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    public ObjectProperty<LocalDate> dateProperty() {
        return date;
    }

    /** HH:mm:ss[.ffffff], or a whole timestamp such as 2026-11-25 14:03:00+01 (then date and zone are not used). */
    public StringProperty timeProperty() {
        return time;
    }

    public ObjectProperty<ZoneId> zoneProperty() {
        return zone;
    }

    public StringProperty restorePointProperty() {
        return restorePoint;
    }

    public StringProperty lsnProperty() {
        return lsn;
    }

    public StringProperty xidProperty() {
        return xid;
    }

    public BooleanProperty inclusiveProperty() {
        return inclusive;
    }

    /** The timeline to recover along; empty lets the planner choose (the newest backup's, else the one covering the target). */
    public StringProperty timelineProperty() {
        return timeline;
    }

    /** The target the fields describe; null while they do not describe one. */
    public ReadOnlyObjectProperty<RecoveryTarget> targetProperty() {
        return target.getReadOnlyProperty();
    }

    /** Why the fields do not describe a target yet; empty when they do. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Fills the fields from a target (a request from the timeline, or a suggestion). */
    public void fill(RecoveryTarget t) {
        switch (t.kind()) {
            case TIME -> setTime(t.time().toInstant(), t.time().getOffset().equals(zone.get().getRules().getOffset(t.time().toInstant()))
                    ? zone.get() : t.time().getOffset());
            case NAME -> restorePoint.set(t.value());
            case LSN -> lsn.set(t.value());
            case XID -> xid.set(t.value());
            default -> { }
        }
        inclusive.set(t.inclusive());
        timeline.set(t.timeline() == null ? "" : String.valueOf(t.timeline()));
        kind.set(t.kind());
    }

    /** A time target at that instant, shown in the given zone. */
    public void setTime(Instant at, ZoneId in) {
        ZonedDateTime z = at.atZone(in);
        zone.set(in);
        date.set(z.toLocalDate());
        time.set((z.getNano() == 0 ? CLOCK : CLOCK_MICROS).format(z.toLocalTime()));
        kind.set(Kind.TIME);
    }

    /** An instant as the form shows times: to the microsecond, in its zone. */
    public String show(Instant t) {
        return Timestamps.micros(t, zone.get());
    }

    private void recompute() {
        try {
            RecoveryTarget t = build();
            target.set(t);
            error.set("");
        } catch (PitrException e) {
            target.set(null);
            error.set(e.getMessage() + (e.consoleHint().isEmpty() ? "" : " (" + e.consoleHint() + ")"));
        }
    }

    private RecoveryTarget build() {
        RecoveryTarget t = buildKind();
        String tli = timeline.get() == null ? "" : timeline.get().trim();
        if (tli.isEmpty()) {
            return t;
        }
        if (!tli.matches("\\d{1,9}")) {
            throw new PitrException("'" + tli + "' is not a timeline", "give a timeline number such as 1 or 2, or leave it empty");
        }
        return t.onTimeline(Integer.parseInt(tli));
    }

    private RecoveryTarget buildKind() {
        return switch (kind.get()) {
            case TIME -> {
                String text = time.get() == null ? "" : time.get().trim();
                if (text.isEmpty()) {
                    throw new PitrException("enter a time", "HH:mm:ss with the date and zone beside it, or a whole timestamp");
                }
                if (!text.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
                    if (date.get() == null) {
                        throw new PitrException("choose a date", "or type a whole timestamp into the time field");
                    }
                    text = date.get() + " " + text;
                }
                yield RecoveryTarget.time(text, zone.get()).withInclusive(inclusive.get());
            }
            case NAME -> {
                if (restorePoint.get() == null || restorePoint.get().isBlank()) {
                    throw new PitrException("choose a restore point", "the list shows the restore points in the archived WAL");
                }
                yield RecoveryTarget.name(restorePoint.get().trim());
            }
            case LSN -> {
                if (lsn.get() == null || lsn.get().isBlank()) {
                    throw new PitrException("enter a WAL location", "like 0/3000148");
                }
                yield RecoveryTarget.lsn(lsn.get().trim()).withInclusive(inclusive.get());
            }
            case XID -> RecoveryTarget.xid(xid.get()).withInclusive(inclusive.get());
            case IMMEDIATE -> RecoveryTarget.immediate();
            case LATEST -> RecoveryTarget.latest();
        };
    }
}
