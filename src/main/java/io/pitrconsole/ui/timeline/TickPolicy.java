package io.pitrconsole.ui.timeline;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks the axis' tick spacing for a resolution, from a hundred years down to one second, and
 * lays ticks on calendar boundaries of a time zone (midnight, the 1st, Mondays, whole years) so
 * labels read as round local times. A tick where the next coarser unit begins is major and its
 * label names that unit (the date at midnight, the year in January).
 */
public final class TickPolicy {
    /** Calendar units ticks are counted in. */
    public enum Unit { SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, YEAR }

    /** count units between ticks. */
    public record Step(Unit unit, int count) {
        /** Nominal length in microseconds (months and years averaged), to compare with pixels. */
        public double approxMicros() {
            double s = switch (unit) {
                case SECOND -> 1;
                case MINUTE -> 60;
                case HOUR -> 3600;
                case DAY -> 86_400;
                case WEEK -> 7 * 86_400;
                case MONTH -> 30.436875 * 86_400;
                case YEAR -> 365.2425 * 86_400;
            };
            return s * count * 1e6;
        }
    }

    /** One tick: where, its label, and whether a coarser unit starts there. */
    public record Tick(long micros, String label, boolean major) {
    }

    private static final List<Step> LADDER = List.of(
            new Step(Unit.SECOND, 1), new Step(Unit.SECOND, 2), new Step(Unit.SECOND, 5), new Step(Unit.SECOND, 10),
            new Step(Unit.SECOND, 15), new Step(Unit.SECOND, 30),
            new Step(Unit.MINUTE, 1), new Step(Unit.MINUTE, 2), new Step(Unit.MINUTE, 5), new Step(Unit.MINUTE, 10),
            new Step(Unit.MINUTE, 15), new Step(Unit.MINUTE, 30),
            new Step(Unit.HOUR, 1), new Step(Unit.HOUR, 2), new Step(Unit.HOUR, 3), new Step(Unit.HOUR, 6), new Step(Unit.HOUR, 12),
            new Step(Unit.DAY, 1), new Step(Unit.DAY, 2), new Step(Unit.WEEK, 1),
            new Step(Unit.MONTH, 1), new Step(Unit.MONTH, 3), new Step(Unit.MONTH, 6),
            new Step(Unit.YEAR, 1), new Step(Unit.YEAR, 2), new Step(Unit.YEAR, 5), new Step(Unit.YEAR, 10),
            new Step(Unit.YEAR, 20), new Step(Unit.YEAR, 50), new Step(Unit.YEAR, 100));

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ROOT);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM", Locale.ROOT);
    private static final DateTimeFormatter YEAR = DateTimeFormatter.ofPattern("yyyy", Locale.ROOT);

    private final ZoneId zone;
    private final double minPixels;

    /** Ticks in that zone, at least minPixels apart. */
    public TickPolicy(ZoneId zone, double minPixels) {
        this.zone = zone;
        this.minPixels = minPixels;
    }

    /** The finest step whose ticks stay at least minPixels apart at this resolution. */
    public Step step(double microsPerPixel) {
        for (Step s : LADDER) {
            if (s.approxMicros() / microsPerPixel >= minPixels) {
                return s;
            }
        }
        return LADDER.get(LADDER.size() - 1);
    }

    /** The ticks across the visible range of the scale, left to right. */
    public List<Tick> ticks(TimeScale scale) {
        Step step = step(scale.microsPerPixel());
        List<Tick> ticks = new ArrayList<>();
        Instant end = TimeScale.instant(scale.end());
        ZonedDateTime t = floor(TimeScale.instant(scale.start()).atZone(zone), step);
        for (int guard = 0; guard < 10_000 && !t.toInstant().isAfter(end); guard++) {
            long micros = TimeScale.micros(t.toInstant());
            if (micros >= scale.start()) {
                boolean major = isMajor(t, step.unit());
                ticks.add(new Tick(micros, label(t, step.unit(), major), major));
            }
            t = next(t, step);
        }
        return ticks;
    }

    static ZonedDateTime floor(ZonedDateTime t, Step s) {
        int c = s.count();
        return switch (s.unit()) {
            case SECOND -> t.truncatedTo(ChronoUnit.SECONDS).withSecond(t.getSecond() / c * c);
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES).withMinute(t.getMinute() / c * c);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS).withHour(t.getHour() / c * c);
            case DAY -> {
                ZonedDateTime d = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth((t.getDayOfMonth() - 1) / c * c + 1);
                yield tooCloseToNextMonth(d, c) ? d.minusDays(c) : d;
            }
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).withMonth((t.getMonthValue() - 1) / c * c + 1);
            case YEAR -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1).withYear(Math.floorDiv(t.getYear(), c) * c);
        };
    }

    static ZonedDateTime next(ZonedDateTime t, Step s) {
        int c = s.count();
        return switch (s.unit()) {
            case SECOND -> t.plusSeconds(c);
            case MINUTE -> t.plusMinutes(c);
            // by the clock: across a DST change the next tick is still a round local hour
            case HOUR -> {
                ZonedDateTime n = t.plusHours(c);
                ZonedDateTime round = floor(n, s);
                yield round.isAfter(t) ? round : n;
            }
            case DAY -> {
                // restart at each month's 1st so odd-length months do not drift the grid
                ZonedDateTime n = t.plusDays(c);
                yield n.getMonthValue() != t.getMonthValue() || tooCloseToNextMonth(n, c)
                        ? t.withDayOfMonth(1).plusMonths(1) : n;
            }
            case WEEK -> t.plusWeeks(1);
            case MONTH -> t.plusMonths(c);
            case YEAR -> t.plusYears(c);
        };
    }

    /** A tick fewer than c days before the 1st would crowd the 1st's tick. */
    private static boolean tooCloseToNextMonth(ZonedDateTime d, int c) {
        return c > 1 && ChronoUnit.DAYS.between(d, d.withDayOfMonth(1).plusMonths(1)) < c;
    }

    private static boolean isMajor(ZonedDateTime t, Unit unit) {
        boolean midnight = t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT);
        return switch (unit) {
            case SECOND, MINUTE, HOUR -> midnight;
            case DAY, WEEK, MONTH -> t.getDayOfYear() == 1;
            case YEAR -> false;
        };
    }

    private static String label(ZonedDateTime t, Unit unit, boolean major) {
        return switch (unit) {
            case SECOND -> major ? DATE.format(t) : SECONDS.format(t);
            case MINUTE, HOUR -> major ? DATE.format(t) : MINUTES.format(t);
            case DAY, WEEK -> major ? YEAR.format(t) : DAY.format(t);
            case MONTH -> major ? YEAR.format(t) : MONTH.format(t);
            case YEAR -> YEAR.format(t);
        };
    }
}
