package io.pitrconsole.recovery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** One prerequisite of a restore and how it stands; a warning or failure comes with what to do about it. */
public record Prerequisite(String name, Level level, String detail, String hint) {

    /** Pass, warn (a restore can go ahead but something is off) or fail (a restore would not work). */
    public enum Level {
        PASS, WARN, FAIL;

        /** pass, warn or fail: lower case in text and JSON, like the health levels. */
        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Prerequisite pass(String name, String detail) {
        return new Prerequisite(name, Level.PASS, detail, null);
    }

    static Prerequisite warn(String name, String detail, String hint) {
        return new Prerequisite(name, Level.WARN, detail, hint);
    }

    static Prerequisite fail(String name, String detail, String hint) {
        return new Prerequisite(name, Level.FAIL, detail, hint);
    }
}
