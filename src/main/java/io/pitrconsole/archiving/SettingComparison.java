package io.pitrconsole.archiving;

/**
 * One archiving setting: what the server has now against what this archive needs.
 *
 * @param satisfied      the current value already does what the recommended one does
 * @param needsRestart   changing it takes effect only after a server restart
 * @param pendingRestart a new value is written but waits for a restart
 */
public record SettingComparison(String name, String current, String recommended, boolean satisfied, boolean needsRestart,
                                boolean pendingRestart) {

    /** Applying would change this setting and the change needs a restart to take effect. */
    public boolean restartOnApply() {
        return needsRestart && (!satisfied || pendingRestart);
    }
}
