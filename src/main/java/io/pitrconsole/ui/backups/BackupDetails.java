package io.pitrconsole.ui.backups;

import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.window.RecoveryWindow;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the details panel shows for one backup: its record, a summary of its manifest, its
 * recovery windows (empty when not computed or none) and the problems its last verification found.
 */
public record BackupDetails(BackupRecord record, Path folder, Optional<ManifestSummary> manifest, String manifestProblem,
                            List<RecoveryWindow> windows, List<VerifyProblem> problems) {

    /** The manifest in numbers: how many files, how many bytes, the WAL it needs, whether it is intact. */
    public record ManifestSummary(int files, long bytes, List<BackupManifest.WalRange> walRanges, boolean checksumValid) {
    }

    public BackupDetails {
        windows = List.copyOf(windows);
        problems = List.copyOf(problems);
    }

    /** Reads the record's manifest through the service; call off the FX thread. */
    static BackupDetails load(BackupService service, BackupRecord record, List<RecoveryWindow> windows, List<VerifyProblem> problems) {
        Optional<ManifestSummary> summary = Optional.empty();
        String problem = "";
        try {
            BackupManifest m = service.manifest(record.id());
            summary = Optional.of(new ManifestSummary(m.files().size(), m.totalSize(), m.walRanges(), m.checksumValid()));
        } catch (PitrException e) {
            problem = e.getMessage();
        }
        return new BackupDetails(record, Path.of(service.repository().backups().where(record.id())), summary, problem, windows, problems);
    }
}
