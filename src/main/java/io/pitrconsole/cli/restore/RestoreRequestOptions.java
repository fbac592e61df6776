package io.pitrconsole.cli.restore;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.run.RecoverySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where and how a restore goes: shared by 'restore plan' and 'restore run'. */
final class RestoreRequestOptions {
    @Mixin
    RestoreTargetOptions target;

    @ArgGroup(exclusive = true)
    Mode mode;

    /** Rehearsal (the default) or in place. */
    static final class Mode {
        @Option(names = "--rehearsal", description = "restore into a new sandbox on a free port (the default)")
        boolean rehearsal;

        @Option(names = "--in-place", description = "replace the data directory given with --data-dir (the old one is kept aside)")
        boolean inPlace;
    }

    @Option(names = "--data-dir", paramLabel = "DIR", description = "in place: the data directory of the cluster to restore")
    Path dataDir;

    @Option(names = "--dir", paramLabel = "DIR", description = "rehearsal: a new or empty directory for the sandbox (default: a new temp one)")
    Path sandboxDir;

    @Option(names = "--sandbox-port", paramLabel = "PORT",
            description = "rehearsal: the port of the sandbox server (default: a free one; -p/--port is the production server's)")
    Integer port;

    @Option(names = "--keep", description = "rehearsal: leave the sandbox server running ('restore discard DIR' removes it)")
    boolean keep;

    @Option(names = "--pause", description = "pause at the target instead of promoting (inspect, then pg_wal_replay_resume())")
    boolean pause;

    @Option(names = "--tablespace-map", paramLabel = "OLD=NEW", description = "restore a tablespace (old location or OID) elsewhere; repeatable")
    List<String> tablespaceMap = List.of();

    @Option(names = "--verify-schema", paramLabel = "SCHEMA", defaultValue = "public", description = "count the rows of every table in it (default public)")
    String verifySchema;

    @Option(names = "--verify-db", paramLabel = "DB", defaultValue = "postgres", description = "database the checks connect to (default postgres)")
    String verifyDatabase;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "360", description = "give up recovery after this long (default 360)")
    long timeoutMinutes;

    boolean inPlace() {
        return mode != null && mode.inPlace;
    }

    RestoreRequest request(ConnectionSettings connection) {
        RestoreRequest r;
        if (inPlace()) {
            if (dataDir == null) {
                throw new PitrException("--in-place needs --data-dir", "pass the data directory of the cluster to restore");
            }
            if (sandboxDir != null || port != null || keep) {
                throw new PitrException("--dir, --sandbox-port and --keep are for rehearsals", "leave them out with --in-place");
            }
            r = RestoreRequest.inPlace(target.target(), dataDir).connectingWith(connection);
        } else {
            if (dataDir != null) {
                throw new PitrException("--data-dir is for --in-place restores", "use --dir for a rehearsal's sandbox directory");
            }
            r = RestoreRequest.rehearsal(target.target()).into(sandboxDir).onPort(port).keeping(keep).connectingWith(connection);
        }
        if (timeoutMinutes <= 0) {
            throw new PitrException("--timeout must be positive", "give the minutes recovery may take");
        }
        return r.fromBackup(target.backup().orElse(null)).withAction(pause ? RecoverySettings.Action.PAUSE : RecoverySettings.Action.PROMOTE)
                .withTablespaceMap(tablespaces()).verifying(verifyDatabase, verifySchema).withTimeout(Duration.ofMinutes(timeoutMinutes));
    }

    private Map<String, Path> tablespaces() {
        Map<String, Path> m = new LinkedHashMap<>();
        for (String s : tablespaceMap) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new PitrException("--tablespace-map '" + s + "' is not OLD=NEW", "e.g. --tablespace-map /srv/ts1=/restore/ts1");
            }
            String old = s.substring(0, eq);
            m.put(old.matches("\\d+") ? old : Path.of(old).normalize().toString(), Path.of(s.substring(eq + 1)));
        }
        return m;
    }
}
