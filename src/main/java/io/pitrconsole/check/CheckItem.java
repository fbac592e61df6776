package io.pitrconsole.check;

import io.pitrconsole.core.Finding;

/**
 * One check in the combined report, whichever verb's check it is: the archiving and dependency
 * findings, a restore's prerequisites and the health checks are all findings and come here
 * unchanged (health's "critical" is a failure, its "warning" a warning).
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

    static CheckItem fail(String check, String detail, String hint) {
        return new CheckItem(check, CheckLevel.FAIL, detail, hint);
    }
}
