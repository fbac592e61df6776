package io.pitrconsole.schedule;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pitrconsole.core.PitrException;
import java.time.DateTimeException;
import java.time.LocalTime;

/**
 * backup_schedule.json: when backups and cleanups run, what retention keeps, and when the newest
 * backup counts as stale. Field names follow the original scripts' snake_case.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduleConfig(
        @JsonProperty("backup") Job backup,
        @JsonProperty("cleanup") Job cleanup,
        @JsonProperty("retention") RetentionPolicy retention,
        @JsonProperty("max_total_size_gb") double maxTotalSizeGb,
        @JsonProperty("alert_after_hours") double alertAfterHours,
        @JsonProperty("compression") String compression) {

    /** One scheduled job: daily or weekly (on a day) at a local time. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Job(@JsonProperty("enabled") boolean enabled, @JsonProperty("frequency") String frequency,
                      @JsonProperty("day") String day, @JsonProperty("time") String time) {

        public JobTime jobTime() {
            LocalTime t;
            try {
                t = LocalTime.parse(time == null ? "" : time.trim());
            } catch (DateTimeException e) {
                throw new PitrException("schedule time '" + time + "' is not a time of day", "write it as HH:MM, for example 02:00");
            }
            return switch (frequency == null ? "" : frequency) {
                case "daily" -> JobTime.daily(t);
                case "weekly" -> JobTime.weekly(JobTime.dayNamed(day == null ? "" : day), t);
                default -> throw new PitrException("schedule frequency '" + frequency + "' is not supported",
                        "use \"daily\", or \"weekly\" with a \"day\"");
            };
        }
    }

    /** The original scripts' defaults. */
    public static ScheduleConfig defaults() {
        return new ScheduleConfig(new Job(true, "daily", null, "02:00"), new Job(true, "weekly", "sunday", "03:00"),
                new RetentionPolicy(7, 4, 12), 100, 24, "zstd");
    }

    public long sizeCapBytes() {
        return (long) (maxTotalSizeGb * 1024 * 1024 * 1024);
    }

    /** Fails with a hint when a value cannot work. */
    public ScheduleConfig validated() {
        if (backup == null || cleanup == null || retention == null) {
            throw new PitrException("backup_schedule.json lacks \"backup\", \"cleanup\" or \"retention\"",
                    "remove the file to start again from the defaults, or add the missing section");
        }
        backup.jobTime();
        cleanup.jobTime();
        if (retention.daily() < 0 || retention.weekly() < 0 || retention.monthly() < 0 || maxTotalSizeGb < 0 || alertAfterHours <= 0) {
            throw new PitrException("backup_schedule.json has a negative retention count, size cap or alert limit",
                    "use counts of 0 or more, a size cap in GB (0 = none) and alert_after_hours above 0");
        }
        return this;
    }
}
