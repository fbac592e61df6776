package io.pitrconsole.recovery;

import com.fasterxml.jackson.annotation.JsonValue;

/** Rehearsal: a throw-away copy on a new port. In place: replaces a cluster's data directory. */
public enum RestoreMode {
    REHEARSAL("rehearsal"), IN_PLACE("in-place");

    private final String label;

    RestoreMode(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
