package io.pitrconsole.recovery.run;

import java.util.List;

/**
 * How recovery ended, as read from the server log.
 *
 * @param stoppingLine the "recovery stopping before/after ..." line, when a target was reached
 * @param failureLine  the line that says why recovery failed, when it did
 * @param logTail      the last lines seen, for the report when something went wrong
 */
public record RecoveryOutcome(State state, String stoppingLine, String failureLine, int segmentsRestored, List<String> logTail) {

    /** Ready: recovery finished and the server accepts connections. Paused: target reached, waiting. */
    public enum State { READY, PAUSED, FAILED }

    public RecoveryOutcome {
        logTail = List.copyOf(logTail);
    }

    public boolean succeeded() {
        return state != State.FAILED;
    }
}
