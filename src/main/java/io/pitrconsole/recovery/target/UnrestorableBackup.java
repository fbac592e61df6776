package io.pitrconsole.recovery.target;

/** A usable-looking backup that has no recovery window, and why (usually WAL missing before its stop). */
public record UnrestorableBackup(String backupId, String reason) {
}
