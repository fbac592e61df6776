package io.pitrconsole.schedule;

import java.time.ZonedDateTime;

/** A job found installed in a crontab or as a systemd timer, and when it runs next. */
public record InstalledJob(String name, String where, JobTime time, ZonedDateTime nextRun) {
}
