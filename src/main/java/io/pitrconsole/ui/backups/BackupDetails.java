package io.pitrconsole.ui.backups;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.RecoveryWindow;
import java.nio.file.Files;
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

    /** Reads the record and manifest from disk; call off the FX thread. */
    static BackupDetails load(ArchiveLayout layout, BackupRecord record, List<RecoveryWindow> windows, List<VerifyProblem> problems) {
        Path folder = layout.backupDir(record.id());
        Path manifestFile = folder.resolve("backup_manifest");
        Optional<ManifestSummary> summary = Optional.empty();
        String problem = "";
        if (!Files.isRegularFile(manifestFile)) {
            problem = "no backup_manifest";
        } else {
            try {
                BackupManifest m = BackupManifest.read(manifestFile);
                summary = Optional.of(new ManifestSummary(m.files().size(), m.totalSize(), m.walRanges(), m.checksumValid()));
            } catch (PitrException e) {
                problem = e.getMessage();
            }
        }
        return new BackupDetails(record, folder, summary, problem, windows, problems);
    }
}
