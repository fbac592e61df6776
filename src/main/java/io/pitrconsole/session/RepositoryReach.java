package io.pitrconsole.session;

/**
 * What a repository showed when it was tried (the Settings dialog's "Test archive"): where it is,
 * and how many backups and WAL files it holds.
 *
 * @param where    the location as the user finds it (a directory, or s3://bucket/prefix at its endpoint)
 * @param backups  the backups present, finished or not
 * @param walFiles the files in the WAL archive (segments, .history and .backup files)
 */
public record RepositoryReach(String where, int backups, int walFiles) {

    /** One line for the user: what was reached and what it holds. */
    public String describe() {
        return "Reached " + where + ": " + count(backups, "backup") + ", " + count(walFiles, "WAL file") + " archived";
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
