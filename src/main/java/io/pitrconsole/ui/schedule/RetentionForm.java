package io.pitrconsole.ui.schedule;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.schedule.RetentionPolicy;
import io.pitrconsole.schedule.ScheduleConfig;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The editable part of backup_schedule.json as properties: retention counts, size cap, stale
 * limit, and when the backup and cleanup jobs run. Fields the editor does not show (compression)
 * are carried over from the loaded file unchanged.
 */
public final class RetentionForm {
    /** "every day" or a weekday name, as the schedule file spells it. */
    public static final String EVERY_DAY = "every day";
    public static final List<String> DAYS = List.of(EVERY_DAY, "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday");

    private final IntegerProperty daily = new SimpleIntegerProperty();
    private final IntegerProperty weekly = new SimpleIntegerProperty();
    private final IntegerProperty monthly = new SimpleIntegerProperty();
    private final DoubleProperty sizeCapGb = new SimpleDoubleProperty();
    private final DoubleProperty alertAfterHours = new SimpleDoubleProperty();
    private final BooleanProperty backupEnabled = new SimpleBooleanProperty();
    private final StringProperty backupDay = new SimpleStringProperty(EVERY_DAY);
    private final StringProperty backupTime = new SimpleStringProperty("");
    private final BooleanProperty cleanupEnabled = new SimpleBooleanProperty();
    private final StringProperty cleanupDay = new SimpleStringProperty(EVERY_DAY);
    private final StringProperty cleanupTime = new SimpleStringProperty("");
    private ScheduleConfig loaded = ScheduleConfig.defaults();

    /** Shows a schedule's values. */
    public void load(ScheduleConfig c) {
        loaded = c;
        daily.set(c.retention().daily());
        weekly.set(c.retention().weekly());
        monthly.set(c.retention().monthly());
        sizeCapGb.set(c.maxTotalSizeGb());
        alertAfterHours.set(c.alertAfterHours());
        backupEnabled.set(c.backup().enabled());
        backupDay.set(day(c.backup()));
        backupTime.set(c.backup().time());
        cleanupEnabled.set(c.cleanup().enabled());
        cleanupDay.set(day(c.cleanup()));
        cleanupTime.set(c.cleanup().time());
    }

    /** The schedule the fields describe; a PitrException with a hint when a value cannot work. */
    public ScheduleConfig toConfig() {
        return new ScheduleConfig(job(backupEnabled.get(), backupDay.get(), backupTime.get()),
                job(cleanupEnabled.get(), cleanupDay.get(), cleanupTime.get()),
                new RetentionPolicy(daily.get(), weekly.get(), monthly.get()), sizeCapGb.get(), alertAfterHours.get(),
                loaded.compression()).validated();
    }

    private static ScheduleConfig.Job job(boolean enabled, String day, String time) {
        String t = time == null ? "" : time.trim();
        if (!t.matches("\\d{1,2}:\\d{2}")) {
            throw new PitrException("'" + t + "' is not a time of day", "write it as HH:MM, for example 02:00");
        }
        boolean everyDay = day == null || day.equals(EVERY_DAY);
        return new ScheduleConfig.Job(enabled, everyDay ? "daily" : "weekly", everyDay ? null : day.toLowerCase(Locale.ROOT),
                t.length() == 4 ? "0" + t : t);
    }

    private static String day(ScheduleConfig.Job j) {
        return "weekly".equals(j.frequency()) && j.day() != null ? j.day().toLowerCase(Locale.ROOT) : EVERY_DAY;
    }

    public IntegerProperty daily() {
        return daily;
    }

    public IntegerProperty weekly() {
        return weekly;
    }

    public IntegerProperty monthly() {
        return monthly;
    }

    public DoubleProperty sizeCapGb() {
        return sizeCapGb;
    }

    public DoubleProperty alertAfterHours() {
        return alertAfterHours;
    }

    public BooleanProperty backupEnabled() {
        return backupEnabled;
    }

    public StringProperty backupDay() {
        return backupDay;
    }

    public StringProperty backupTime() {
        return backupTime;
    }

    public BooleanProperty cleanupEnabled() {
        return cleanupEnabled;
    }

    public StringProperty cleanupDay() {
        return cleanupDay;
    }

    public StringProperty cleanupTime() {
        return cleanupTime;
    }
}
