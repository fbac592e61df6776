package io.pitrconsole.practice;

import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and opens the practice cluster the one way 'demo' and the console's practice card share.
 * Its programs are its own: the ones named explicitly (--pg-bin, --os-user), else the newest
 * PostgreSQL found, run as postgres; never those of the default profile, which may describe a
 * production server run by another OS user. Once created, the cluster's state file names its bin.
 */
public final class PracticeClusters {
    private final ProfileStore profiles;
    private final PracticeLayout standard;
    private final Map<String, String> env;

    /** @param standard where a new practice cluster goes when nothing points elsewhere */
    public PracticeClusters(ProfileStore profiles, PracticeLayout standard, Map<String, String> env) {
        this.profiles = profiles;
        this.standard = standard;
        this.env = Map.copyOf(env);
    }

    /**
     * The practice cluster in dir when given, else the one the named profile (or the practice or
     * default profile) points at, else in the standard place.
     */
    public PracticeCluster open(Optional<Path> dir, Optional<String> profile, Optional<Path> pgBin, Optional<String> osUser) {
        PracticeLayout layout = dir.map(PracticeLayout::new).orElseGet(() -> new PracticeLocator(profiles).locate(profile, standard));
        PgContext pg = new PgContext(pgBin, env, new OsUser(osUser.filter(u -> !u.isBlank()).orElse(OsUser.DEFAULT)));
        return new PracticeCluster(layout, pg, profiles);
    }
}
