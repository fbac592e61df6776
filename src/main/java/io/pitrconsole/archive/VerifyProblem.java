package io.pitrconsole.archive;

/**
 * One thing wrong with a backup. kind is one of: missing, size, checksum, unexpected, damaged,
 * manifest, wal.
 */
public record VerifyProblem(String file, String kind, String detail) {
    @Override
    public String toString() {
        return kind + ": " + file + (detail == null || detail.isEmpty() ? "" : " - " + detail);
    }
}
