package io.pitrconsole.practice;

import java.util.Optional;

/** Whether a practice cluster exists and runs, and where. */
public record PracticeStatus(PracticeLayout layout, Optional<PracticeState> state, boolean running) {
    public boolean exists() {
        return state.isPresent();
    }
}
