package io.pitrconsole.check;

import io.pitrconsole.archiving.Finding;
import io.pitrconsole.recovery.Prerequisite;
import io.pitrconsole.schedule.HealthCheck;

/**
 * One check in the combined report, whichever verb's check it is: the archiving and dependency
 * findings, a restore prerequisite and a health check all come here unchanged but for the level's
 * name (a health "critical" is a failure, a "warning" a warning).
 */
public record CheckItem(String check, CheckLevel level, String detail, String hint) {
    public CheckItem {
        hint = hint == null ? "" : hint;
    }

    static CheckItem of(Finding f) {
        return new CheckItem(f.check(), switch (f.level()) {
            case PASS -> CheckLevel.PASS;
            case WARN -> CheckLevel.WARN;
            case FAIL -> CheckLevel.FAIL;
        }, f.detail(), f.hint());
    }

    static CheckItem of(Prerequisite p) {
        return new CheckItem(p.name(), switch (p.level()) {
            case PASS -> CheckLevel.PASS;
            case WARN -> CheckLevel.WARN;
            case FAIL -> CheckLevel.FAIL;
        }, p.detail(), p.hint());
    }

    static CheckItem of(HealthCheck h) {
        return new CheckItem(h.check(), switch (h.level()) {
            case OK -> CheckLevel.PASS;
            case WARNING -> CheckLevel.WARN;
            case CRITICAL -> CheckLevel.FAIL;
        }, h.detail(), h.hint());
    }

    static CheckItem fail(String check, String detail, String hint) {
        return new CheckItem(check, CheckLevel.FAIL, detail, hint);
    }
}
