package io.pitrconsole.pg;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach PostgreSQL's programs on this machine: an explicit bin directory if the user gave
 * one, the environment to search, and the OS user that runs server-side programs.
 */
public record PgContext(Optional<Path> explicitBin, Map<String, String> env, OsUser serverUser) {

    public static PgContext fromEnvironment() {
        return new PgContext(Optional.empty(), System.getenv(), new OsUser(OsUser.DEFAULT));
    }

    /** The installation matching the server's major version, or a clear error. */
    public PgInstallation installationFor(PgVersion server) {
        PgInstallation inst = PgInstallation.locate(explicitBin, env, Optional.of(server.major()));
        inst.requireSameMajor(server);
        return inst;
    }

    /**
     * Programs to back up a server of that major: the server's own major when installed, else a
     * newer pg_basebackup (which reads older servers), never an older one.
     */
    public PgInstallation backupProgramsFor(PgVersion server) {
        PgInstallation inst = PgInstallation.locate(explicitBin, env, Optional.of(server.major()));
        inst.requireCanBackUp(server);
        return inst;
    }

    /** Any installation, preferring the given major version. */
    public PgInstallation installation(Optional<Integer> preferredMajor) {
        return PgInstallation.locate(explicitBin, env, preferredMajor);
    }

    public PgToolRunner runner() {
        return new PgToolRunner(serverUser);
    }
}
