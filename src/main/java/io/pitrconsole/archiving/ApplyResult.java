package io.pitrconsole.archiving;

import java.util.List;

/**
 * What 'archiving apply' changed and whether the server still needs a restart.
 *
 * @param changed settings written with ALTER SYSTEM
 * @param pendingRestart settings that take effect only after a restart (empty once restarted)
 * @param replacedLibrary the archive_library that was set to '' so that archive_command archives; empty if none
 */
public record ApplyResult(List<String> changed, List<String> pendingRestart, boolean restarted, String replacedLibrary) {
    public ApplyResult {
        changed = List.copyOf(changed);
        pendingRestart = List.copyOf(pendingRestart);
    }

    public ApplyResult(List<String> changed, List<String> pendingRestart, boolean restarted) {
        this(changed, pendingRestart, restarted, "");
    }
}
