package io.pitrconsole.check;

import java.util.List;

/**
 * The checks of one verb in the combined report: {@code verb} is the command that runs them alone,
 * {@code checked} is false when the whole section was left out, and {@code notes} say what was
 * left out and why (no server, no forced switch).
 */
public record CheckSection(String name, String verb, CheckLevel result, boolean checked, List<CheckItem> checks, List<String> notes) {
    public CheckSection {
        checks = List.copyOf(checks);
        notes = List.copyOf(notes);
    }

    static CheckSection of(String name, String verb, List<CheckItem> checks, List<String> notes) {
        CheckLevel worst = checks.stream().map(CheckItem::level).reduce(CheckLevel.PASS, CheckLevel::worst);
        return new CheckSection(name, verb, worst, !checks.isEmpty(), checks, notes);
    }
}
