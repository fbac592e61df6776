package io.pitrconsole.cli;

import io.pitrconsole.core.Finding;
import java.io.PrintWriter;
import java.util.List;

/** Prints check findings one per line, with the hint under each that is not a pass. */
public final class FindingPrinter {
    private FindingPrinter() {
    }

    public static void print(PrintWriter o, List<Finding> findings) {
        int width = findings.stream().mapToInt(f -> f.check().length()).max().orElse(0);
        for (Finding f : findings) {
            o.printf("%-4s  %-" + width + "s  %s%n", f.level().label(), f.check(), f.detail());
            if (!f.hint().isEmpty()) {
                o.printf("%-4s  %-" + width + "s  hint: %s%n", "", "", f.hint());
            }
        }
        long fails = findings.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        long warns = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        o.println(fails > 0 ? fails + " failed, " + warns + " warnings" : warns > 0 ? "passed with " + warns + " warnings" : "all checks passed");
    }
}
