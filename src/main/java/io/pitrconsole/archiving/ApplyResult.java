package io.pitrconsole.archiving;

import java.util.List;

/** What 'archiving apply' changed and whether the server still needs a restart. */
public record ApplyResult(List<String> changed, List<String> pendingRestart, boolean restarted) {
}
