package io.pitrconsole.cli.restore;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.time.ZoneId;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The target options shared by 'restore plan' and 'restore run' ('restore check' shares all but the required kind). */
public final class RestoreTargetOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Exactly one kind of target. */
    public static final class Which {
        @Option(names = "--to", paramLabel = "TIME", description = "a time, e.g. '2026-11-25 14:03:00' (local zone unless given: +01, Z)")
        String time;

        @Option(names = "--to-name", paramLabel = "NAME", description = "a restore point made with pg_create_restore_point()")
        String name;

        @Option(names = "--to-lsn", paramLabel = "LSN", description = "a WAL location, e.g. 0/3000060")
        String lsn;

        @Option(names = "--to-xid", paramLabel = "XID", description = "a transaction id")
        String xid;

        @Option(names = "--immediate", description = "the end of the backup (the earliest consistent moment)")
        boolean immediate;

        @Option(names = "--latest", description = "the end of the archived WAL")
        boolean latest;
    }

    @Mixin
    Refinement refinement;

    /**
     * The options that refine a target and pick its backup, shared with 'restore check', whose
     * target kind is optional (the latest by default) where plan and run require one.
     */
    public static final class Refinement {
        @Option(names = "--exclusive", description = "stop just before the target instead of just after it (time, LSN, xid)")
        boolean exclusive;

        @Option(names = "--timeline", paramLabel = "TLI", description = "timeline to recover along (default: the one the target lies on)")
        Integer timeline;

        @Option(names = "--backup", paramLabel = "ID", description = "restore from this backup (default: the newest one that reaches the target)")
        public String backup;

        /** The target {@code which} names, refined by these options. */
        public RecoveryTarget target(Which which) {
            return RestoreTargetOptions.target(which, exclusive, timeline);
        }

        public Optional<String> backup() {
            return Optional.ofNullable(backup);
        }
    }

    public RecoveryTarget target() {
        return refinement.target(which);
    }

    public Optional<String> backup() {
        return refinement.backup();
    }

    /** The target the options name; no kind given means the latest archived WAL. */
    private static RecoveryTarget target(Which which, boolean exclusive, Integer timeline) {
        RecoveryTarget t;
        if (which == null) {
            t = RecoveryTarget.latest();
        } else if (which.time != null) {
            t = RecoveryTarget.time(which.time, ZoneId.systemDefault());
        } else if (which.name != null) {
            t = RecoveryTarget.name(which.name);
        } else if (which.lsn != null) {
            t = RecoveryTarget.lsn(which.lsn);
        } else if (which.xid != null) {
            t = RecoveryTarget.xid(which.xid);
        } else if (which.immediate) {
            t = RecoveryTarget.immediate();
        } else {
            t = RecoveryTarget.latest();
        }
        if (exclusive) {
            if (t.kind() != RecoveryTarget.Kind.TIME && t.kind() != RecoveryTarget.Kind.LSN && t.kind() != RecoveryTarget.Kind.XID) {
                throw new PitrException("--exclusive applies to --to, --to-lsn and --to-xid only", "leave out --exclusive");
            }
            t = t.withInclusive(false);
        }
        return timeline == null ? t : t.onTimeline(timeline);
    }
}
