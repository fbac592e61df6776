package io.pitrconsole.ui.timeline;

import java.time.Instant;

/**
 * A moment the user clicked on a lane. When a restorable moment lay within a few pixels, time is
 * that moment (the click snapped to it) and restorable is true.
 */
public record TimelineSelection(Instant time, int timeline, boolean restorable) {
}
