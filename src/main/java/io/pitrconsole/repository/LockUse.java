package io.pitrconsole.repository;

/** What a holder of a repository's lock does with it, which decides whom it excludes. */
public enum LockUse {
    /** backup create: adds a backup; one at a time. */
    BACKUP("backup create"),
    /** A restore or rehearsal: reads backups and WAL; any number, also while a backup runs. */
    RESTORE("restore"),
    /** Retention cleanup: removes backups and WAL; alone. */
    CLEANUP("cleanup"),
    /** backup delete: removes a backup; alone. */
    DELETE("backup delete"),
    /** key rotate: rewrites every backup file and WAL file under a new key; alone. */
    KEY_CHANGE("key rotate");

    private final String label;

    LockUse(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether this use removes backups or WAL. */
    public boolean removes() {
        return this == CLEANUP || this == DELETE;
    }

    /** Whether the two may not run at the same time. */
    public boolean conflictsWith(LockUse other) {
        return removes() || other.removes() || this == KEY_CHANGE || other == KEY_CHANGE || (this == BACKUP && other == BACKUP);
    }
}
