package io.pitrconsole.check;

import java.time.Instant;
import java.util.List;

/** Everything 'check' found, section by section; {@code result} is the worst level of them all. */
public record CheckReport(CheckLevel result, int exitCode, Instant checkedAt, String archive, List<CheckSection> sections) {
    public CheckReport {
        sections = List.copyOf(sections);
    }

    static CheckReport of(Instant checkedAt, String archive, List<CheckSection> sections) {
        CheckLevel worst = sections.stream().map(CheckSection::result).reduce(CheckLevel.PASS, CheckLevel::worst);
        return new CheckReport(worst, worst.exitCode(), checkedAt, archive, sections);
    }

    /** "section: check" of every check at that level, to name them in a summary. */
    public List<String> named(CheckLevel level) {
        return sections.stream().flatMap(s -> s.checks().stream().filter(c -> c.level() == level).map(c -> s.name() + ": " + c.check()))
                .toList();
    }
}
