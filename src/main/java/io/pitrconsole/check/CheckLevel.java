package io.pitrconsole.check;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one check, a section or the whole report came out; the order is the severity. */
public enum CheckLevel {
    PASS, WARN, FAIL;

    /** 0 pass, 1 warnings, 2 failures: the exit status of 'check', as of 'restore check' and 'health'. */
    public int exitCode() {
        return ordinal();
    }

    public CheckLevel worst(CheckLevel other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** pass, warn or fail: lower case in text and JSON, like the levels of the verbs it gathers. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
