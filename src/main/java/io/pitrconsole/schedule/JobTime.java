package io.pitrconsole.schedule;

import io.pitrconsole.core.PitrException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job runs: every day, or on one day of the week, at a local time. Only what the console
 * itself writes into crontabs and timers, so it is read back exactly.
 */
public record JobTime(Optional<DayOfWeek> day, LocalTime time) {
    private static final Pattern CRON = Pattern.compile("(\\d{1,2}) (\\d{1,2}) \\* \\* (\\*|[0-7])");
    private static final Pattern CALENDAR = Pattern.compile("(?:([A-Za-z]{3}) )?\\*-\\*-\\* (\\d{2}):(\\d{2}):00");

    public static JobTime daily(LocalTime time) {
        return new JobTime(Optional.empty(), time.withSecond(0).withNano(0));
    }

    public static JobTime weekly(DayOfWeek day, LocalTime time) {
        return new JobTime(Optional.of(day), time.withSecond(0).withNano(0));
    }

    /** The five crontab time fields. */
    public String toCron() {
        return time.getMinute() + " " + time.getHour() + " * * " + day.map(d -> String.valueOf(d.getValue() % 7)).orElse("*");
    }

    /** A systemd OnCalendar expression. */
    public String toOnCalendar() {
        return day.map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT) + " ").orElse("")
                + String.format("*-*-* %02d:%02d:00", time.getHour(), time.getMinute());
    }

    /** Reads the time fields of a crontab line this console wrote. */
    public static Optional<JobTime> parseCron(String fields) {
        Matcher m = CRON.matcher(fields.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalTime t = LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
        return Optional.of(m.group(3).equals("*") ? daily(t)
                : weekly(DayOfWeek.of(Integer.parseInt(m.group(3)) % 7 == 0 ? 7 : Integer.parseInt(m.group(3)) % 7), t));
    }

    /** Reads an OnCalendar expression this console wrote. */
    public static Optional<JobTime> parseOnCalendar(String expr) {
        Matcher m = CALENDAR.matcher(expr.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalTime t = LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        return Optional.of(m.group(1) == null ? daily(t) : weekly(dayNamed(m.group(1)), t));
    }

    /** The first run strictly after the given moment, in that moment's zone. */
    public ZonedDateTime next(ZonedDateTime now) {
        for (int i = 0; i <= 8; i++) {
            ZonedDateTime candidate = now.toLocalDate().plusDays(i).atTime(time).atZone(now.getZone());
            boolean rightDay = day.isEmpty() || candidate.getDayOfWeek() == day.get();
            if (candidate.isAfter(now) && rightDay) {
                return candidate;
            }
        }
        throw new IllegalStateException("no run time found for " + this);
    }

    static DayOfWeek dayNamed(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(n) && n.length() >= 3) {
                return d;
            }
        }
        throw new PitrException("'" + name + "' is not a day of the week", "write a day like sunday or sun");
    }

    @Override
    public String toString() {
        // the ROOT locale abbreviates even TextStyle.FULL names, so spell the day from the enum
        return day.map(d -> d.name().toLowerCase(Locale.ROOT) + "s").orElse("daily")
                + " at " + time;
    }
}
