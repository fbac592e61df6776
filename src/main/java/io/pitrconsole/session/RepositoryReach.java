package io.pitrconsole.session;

/**
 * What a repository showed when it was tried (the Settings dialog's "Test archive"): where it is,
 * how many backups and WAL files it holds, and how it is encrypted.
 *
 * @param where      the location as the user finds it (a directory, or s3://bucket/prefix at its endpoint)
 * @param backups    the backups present, finished or not
 * @param walFiles   the files in the WAL archive (segments, .history and .backup files)
 * @param encryption how it is encrypted, as opened with the key file given
 */
public record RepositoryReach(String where, int backups, int walFiles, EncryptionState encryption) {

    /** One line for the user: what was reached, what it holds and, when it is encrypted, with which key. */
    public String describe() {
        return "Reached " + where + ": " + count(backups, "backup") + ", " + count(walFiles, "WAL file") + " archived" + encrypted();
    }

    private String encrypted() {
        return switch (encryption.kind()) {
            case AGE -> encryption.recorded() ? "; encrypted, key fingerprint " + encryption.fingerprint().orElseThrow()
                    : "; encrypted from its first file on, key fingerprint " + encryption.fingerprint().orElseThrow();
            case PGBACKREST -> encryption.encrypted() ? "; encrypted by pgBackRest (" + encryption.cipher().orElseThrow() + ")" : "";
            default -> "";
        };
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
