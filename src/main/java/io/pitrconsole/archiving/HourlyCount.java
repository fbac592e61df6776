package io.pitrconsole.archiving;

import java.time.Instant;

/** Segments that arrived in the archive during one hour (by file modification time). */
public record HourlyCount(Instant hourStart, long segments) {
}
