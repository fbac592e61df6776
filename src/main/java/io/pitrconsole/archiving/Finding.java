package io.pitrconsole.archiving;

import com.fasterxml.jackson.annotation.JsonValue;

/** One check's outcome: pass, warn or fail, what was seen, and what to do about it. */
public record Finding(String check, Level level, String detail, String hint) {
    /** How bad a finding is; fail means WAL is not (reliably) being archived. */
    public enum Level {
        PASS, WARN, FAIL;

        /** pass, warn or fail: lower case in text and JSON, like the health levels. */
        @JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Finding pass(String check, String detail) {
        return new Finding(check, Level.PASS, detail, "");
    }

    public static Finding warn(String check, String detail, String hint) {
        return new Finding(check, Level.WARN, detail, hint);
    }

    public static Finding fail(String check, String detail, String hint) {
        return new Finding(check, Level.FAIL, detail, hint);
    }
}
