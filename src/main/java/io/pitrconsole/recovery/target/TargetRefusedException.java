package io.pitrconsole.recovery.target;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.time.Instant;
import java.util.List;

/**
 * A time target the archive cannot reach (before the first backup, in a WAL gap, beyond the WAL),
 * with the nearest moments that can be reached, so a user interface can offer them as choices.
 */
public final class TargetRefusedException extends PitrException {
    private final transient List<Instant> suggestions;

    public TargetRefusedException(String message, String hint, List<Instant> suggestions) {
        this(message, Hint.same(hint), suggestions);
    }

    public TargetRefusedException(String message, Hint hint, List<Instant> suggestions) {
        super(message, hint);
        this.suggestions = List.copyOf(suggestions);
    }

    /**
     * Restorable time targets nearest the refused one, earlier first: the last moment before the
     * target that a time target reaches (just before the last archived transaction of the window
     * that ends there, since recovery needs a later commit to stop), and the start of the next window.
     */
    public List<Instant> suggestions() {
        return suggestions;
    }
}
