package io.pitrconsole.practice;

import java.time.Duration;

/** How far the practice history has got: seconds written of those planned, and the backups and restore points made. */
public record HistoryProgress(Duration written, Duration length, int backups, int restorePoints) {
    /** Backups the scripted history takes: at its start, middle and near its end. */
    public static final int BACKUPS = 3;
    /** Restore points it sets: before the price change and before the cleanup. */
    public static final int RESTORE_POINTS = 2;

    public boolean complete() {
        return written.compareTo(length) >= 0 && backups == BACKUPS && restorePoints == RESTORE_POINTS;
    }

    /** "history 45 s of 180 s, 2 of 3 backups, 1 of 2 restore points" */
    public String describe() {
        return "history " + Math.min(written.toSeconds(), length.toSeconds()) + " s of " + length.toSeconds() + " s, "
                + backups + " of " + BACKUPS + " backups, " + restorePoints + " of " + RESTORE_POINTS + " restore points";
    }
}
