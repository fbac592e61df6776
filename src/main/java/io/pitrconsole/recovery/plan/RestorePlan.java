package io.pitrconsole.recovery.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.run.RecoverySettings;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A checked restore plan: which backup, which WAL, the exact settings, where, and how long it
 * should take. Nothing has been touched when a plan exists; running it is a separate step.
 *
 * @param walSegments   the archived WAL files recovery will read, in order (all present and readable)
 * @param tablespaces   tablespace OID to the directory it will be restored into
 * @param estimateBasis where the estimate comes from (earlier restores on this archive, or defaults)
 * @param walEnd        recovery reads the WAL up to (not including) this location; damage at or after it
 *                      in the last file is never read (null: not known, every record counts)
 * @param warnings      what the user should think twice about before running it (e.g. an abandoned timeline)
 * @param consoleWords  the console's wording of the notes and warnings that name command-line flags, keyed by
 *                      their command-line wording (the command line and JSON show the notes as they are)
 */
public record RestorePlan(
        String backupId,
        RecoveryTarget target,
        RestoreMode mode,
        Path dataDirectory,
        Integer port,
        List<String> walSegments,
        long walBytes,
        long backupBytes,
        Map<String, String> settings,
        Map<String, Path> tablespaces,
        double estimatedSeconds,
        String estimateBasis,
        List<String> checks,
        List<String> notes,
        List<String> warnings,
        @JsonIgnore RestoreRequest request,
        Lsn walEnd,
        @JsonIgnore Map<String, String> consoleWords) {

    /** A plan whose notes and warnings read the same on the command line and in the console. */
    public RestorePlan(String backupId, RecoveryTarget target, RestoreMode mode, Path dataDirectory, Integer port,
                       List<String> walSegments, long walBytes, long backupBytes, Map<String, String> settings,
                       Map<String, Path> tablespaces, double estimatedSeconds, String estimateBasis, List<String> checks,
                       List<String> notes, List<String> warnings, RestoreRequest request, Lsn walEnd) {
        this(backupId, target, mode, dataDirectory, port, walSegments, walBytes, backupBytes, settings, tablespaces, estimatedSeconds,
                estimateBasis, checks, notes, warnings, request, walEnd, Map.of());
    }

    /** A plan that does not say where recovery stops reading WAL, without warnings. */
    public RestorePlan(String backupId, RecoveryTarget target, RestoreMode mode, Path dataDirectory, Integer port,
                       List<String> walSegments, long walBytes, long backupBytes, Map<String, String> settings,
                       Map<String, Path> tablespaces, double estimatedSeconds, String estimateBasis, List<String> checks,
                       List<String> notes, RestoreRequest request) {
        this(backupId, target, mode, dataDirectory, port, walSegments, walBytes, backupBytes, settings, tablespaces, estimatedSeconds,
                estimateBasis, checks, notes, List.of(), request, null);
    }

    public RestorePlan {
        walSegments = List.copyOf(walSegments);
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        tablespaces = Map.copyOf(tablespaces);
        checks = List.copyOf(checks);
        notes = List.copyOf(notes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        consoleWords = consoleWords == null ? Map.of() : Map.copyOf(consoleWords);
    }

    /** A note or warning of this plan as the console words it. */
    public String inConsoleWords(String noteOrWarning) {
        return consoleWords.getOrDefault(noteOrWarning, noteOrWarning);
    }

    /** The settings as a value to write. */
    public RecoverySettings recoverySettings() {
        return new RecoverySettings(settings);
    }
}
