package io.pitrconsole.practice;

import java.time.Duration;

/**
 * Follows the creation of a practice cluster: its steps with how long each took, the moment it
 * becomes usable (the first restorable range is archived and the profile registered), and the
 * history growing after that.
 */
public interface PracticeListener {
    PracticeListener NONE = new PracticeListener() {
    };

    /** A step begins ("initdb", "backup 1", "restore point before_cleanup"). */
    default void stepStarted(String step) {
    }

    /** A step ended after that long. */
    default void stepDone(String step, Duration took) {
    }

    /** The practice profile exists and its archive holds a restorable range; the rest of the history follows. */
    default void firstRange(PracticeState state) {
    }

    /** The history moved on: another order, backup or restore point. */
    default void history(HistoryProgress progress) {
    }
}
