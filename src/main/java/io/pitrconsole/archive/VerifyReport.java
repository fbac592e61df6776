package io.pitrconsole.archive;

import java.util.List;

/** The outcome of checking one backup against its manifest. */
public record VerifyReport(String backupId, boolean ok, int filesChecked, long bytesChecked, long bytesRead,
                           double seconds, List<VerifyProblem> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** Uncompressed megabytes checked per second. */
    public double throughputMBps() {
        return seconds <= 0 ? 0 : bytesChecked / 1e6 / seconds;
    }
}
