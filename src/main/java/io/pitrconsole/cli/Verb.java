package io.pitrconsole.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.PgBackRestOptions;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.session.ClusterServices;
import io.pitrconsole.session.KeyFiles;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;

/** Base of every leaf command: resolves archive, connection and PostgreSQL programs the same way. */
public abstract class Verb implements Callable<Integer> {
    @Mixin
    public GlobalOptions global;

    protected final CliContext ctx;
    private Optional<Profile> profile;
    private ClusterServices services;
    private final java.util.List<java.nio.file.Path> alsoReadWith = new java.util.ArrayList<>();

    protected Verb(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final Integer call() {
        Logger ours = (Logger) LoggerFactory.getLogger("io.pitrconsole");
        Level before = ours.getLevel();
        if (global.verbose) {
            ours.setLevel(Level.DEBUG);
        }
        try {
            LoggerFactory.getLogger(getClass()).debug("{} starting", getClass().getSimpleName());
            if (global.port != null && (global.port < 1 || global.port > 65535)) {
                // checked here, before the JDBC driver logs a line of its own about it
                throw new PitrException("port " + global.port + " is out of range", "a TCP port is a number from 1 to 65535; PostgreSQL's default is 5432");
            }
            return run();
        } finally {
            if (services != null) {
                // the repository the verb opened (a bucket's S3 client), once, at its end
                services.close();
            }
            ours.setLevel(before);
        }
    }

    protected abstract int run();

    protected Optional<Profile> profile() {
        if (profile == null) {
            try {
                profile = ProfileStore.standard(ctx.env()).find(global.profile);
            } catch (PitrException e) {
                if (global.profile != null || global.archive == null) {
                    throw e;
                }
                // --archive names everything the verb needs; a damaged profile file must not stop it
                ctx.err().println("warning: " + e.getMessage() + " (ignored: --archive was given)");
                profile = Optional.empty();
            }
        }
        return profile;
    }

    /**
     * The services for the profile this run names (or the default one), with --archive and the
     * connection flags on top: the same wiring the console uses. One per run, so every service
     * of the verb shares one opened repository, closed when the verb ends.
     */
    protected ClusterServices services() {
        if (services == null) {
            services = new ClusterServices(() -> profile().map(Profile::name), this::archive, this::connection, this::pg, ctx.env());
        }
        return services;
    }

    /** Opens the repository with this key file too, as an older key (a key change's new key); before the first {@link #services()}. */
    protected void alsoReadWith(java.nio.file.Path keyFile) {
        alsoReadWith.add(keyFile);
    }

    /** The repository of --archive, else of the profile. */
    protected Repository repository() {
        return services().repository();
    }

    /**
     * The directory layout, for the WAL archive code not yet moved behind the repository.
     * @deprecated to be removed once the WAL side takes a {@link Repository}
     */
    @Deprecated

    // --archive is read here and only here, and parsed as a repository location (RepositoryLocation.parse)
    private Repository archive() {
        String archive = global.archive != null ? global.archive
                : profile().map(Profile::archive).filter(s -> !s.isBlank()).orElseThrow(() ->
                new PitrException("no archive directory given", "pass --archive DIR or set 'archive' in the default profile ("
                        + ProfileStore.standard(ctx.env()).file() + ")"));
        S3Options fromProfile = profile().map(ClusterServices::s3Options).orElse(S3Options.NONE);
        KeyFiles keys = KeyFiles.resolve(global.encryptionKeyFile, profile(), ctx.env(), global.encryptionOldKeyFiles, alsoReadWith);
        return ClusterServices.openRepository(archive, new S3Options(global.s3Endpoint, global.s3Region, global.s3PathStyle).over(fromProfile),
                new PgBackRestOptions(global.pgbackrestConfig, global.pgbackrestRepo), keys, ctx.env());
    }

    /** Flags win, then the profile, then the libpq environment, then libpq's defaults. */
    protected ConnectionSettings connection() {
        return resolver().connection(overrides());
    }

    /** PostgreSQL programs from --pg-bin, the profile or the search path; server programs as --os-user, the profile's, or postgres. */
    protected PgContext pg() {
        return resolver().pg(overrides());
    }

    private ProfileResolver resolver() {
        return ProfileResolver.forCommandLine(profile(), ctx.env());
    }

    private ProfileResolver.Overrides overrides() {
        return new ProfileResolver.Overrides(global.host, global.port, global.user, global.database, global.pgBin, global.osUser);
    }

    protected void printJson(Object value) {
        try {
            ctx.out().println(Json.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asks on the terminal; true only for a typed 'yes'. No input at all is an error that names --yes. */
    protected boolean confirm(String question) {
        ctx.err().print(question);
        ctx.err().flush();
        try {
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(ctx.in())).readLine();
            if (answer == null) {
                throw new PitrException("cannot ask for confirmation: no input", "add --yes to go ahead without asking");
            }
            return answer.trim().equalsIgnoreCase("yes");
        } catch (java.io.IOException e) {
            throw new PitrException("cannot ask for confirmation: " + e.getMessage(), "add --yes to go ahead without asking");
        }
    }
}
