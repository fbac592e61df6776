package io.pitrconsole.pg;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL programs live and which major version they are. Looked up in order:
 * an explicit --pg-bin, PG_BINDIR, /usr/lib/postgresql/&lt;server major&gt;/bin, the directories
 * in PITR_PG_BIN_DIRS, PATH, then the newest /usr/lib/postgresql/&lt;ver&gt;/bin.
 * <p>A directory with only the server programs (initdb, pg_ctl, postgres: a server build without
 * its client package) serves the major asked for; its client programs (pg_basebackup, psql) are
 * then taken from the newest full installation, whose pg_basebackup backs up older servers too.
 *
 * @param clients where programs missing from {@code binDir} are taken from, if anywhere
 */
public record PgInstallation(Path binDir, PgVersion version, Optional<PgInstallation> clients) {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    /** Extra bin directories to search, separated like PATH (e.g. server builds outside Debian's layout). */
    public static final String BIN_DIRS_ENV = "PITR_PG_BIN_DIRS";

    public PgInstallation(Path binDir, PgVersion version) {
        this(binDir, version, Optional.empty());
    }

    /** Finds an installation; prefers the given server major version when one is known. */
    public static PgInstallation locate(Optional<Path> explicitBin, Map<String, String> env, Optional<Integer> serverMajor) {
        List<Path> candidates = new ArrayList<>();
        explicitBin.ifPresent(candidates::add);
        Optional.ofNullable(env.get("PG_BINDIR")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
        if (explicitBin.isEmpty() && !env.containsKey("PG_BINDIR")) {
            serverMajor.map(v -> DEBIAN_ROOT.resolve(String.valueOf(v)).resolve("bin")).ifPresent(candidates::add);
            pathList(env.getOrDefault(BIN_DIRS_ENV, "")).forEach(candidates::add);
            debianInstallations().forEach(candidates::add);
            pathEntries(env).forEach(candidates::add);
        }
        for (Path dir : candidates) {
            Path probe = dir.resolve("pg_basebackup");
            boolean explicit = explicitBin.isPresent() && dir.equals(explicitBin.get());
            if (Files.isExecutable(probe) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                return new PgInstallation(dir, debianVersion(dir).orElseGet(() -> readVersion(probe)));
            }
            if (Files.isExecutable(dir.resolve("pg_ctl")) && Files.isExecutable(dir.resolve("postgres"))
                    && (explicit || serverMajor.isPresent())) {
                PgVersion v = debianVersion(dir).orElseGet(() -> readVersion(dir.resolve("pg_ctl")));
                if (explicit || serverMajor.get() == v.major()) {
                    return new PgInstallation(dir, v, newestFull(env));
                }
            }
            if (explicit) {
                throw new PitrException("no PostgreSQL programs (pg_basebackup, pg_ctl) in " + dir,
                        Hint.of("point --pg-bin at the bin directory of a PostgreSQL installation, e.g. /usr/lib/postgresql/15/bin",
                                "set the profile's PostgreSQL bin directory (Settings) to the bin directory of a PostgreSQL installation, e.g. /usr/lib/postgresql/15/bin"));
            }
        }
        throw new PitrException("PostgreSQL programs not found (looked for pg_basebackup and pg_ctl)",
                Hint.of("install the PostgreSQL server package (Debian: apt-get install postgresql-15) or pass --pg-bin DIR",
                        "install the PostgreSQL server package (Debian: apt-get install postgresql-15) or set the profile's PostgreSQL bin directory (Settings)"));
    }

    /** The program of that name: from this directory, else from the client installation. */
    public Path tool(String name) {
        Path own = binDir.resolve(name);
        if (Files.isExecutable(own) || clients.isEmpty()) {
            return own;
        }
        return clients.get().tool(name);
    }

    /** Fails when these programs cannot safely work with a server of that major version. */
    public void requireSameMajor(PgVersion server) {
        if (server.major() != version.major()) {
            throw new PitrException("PostgreSQL programs in " + binDir + " are version " + version.major()
                    + " but the server is version " + server.major(),
                    Hint.of("install PostgreSQL " + server.major() + " (Debian: apt-get install postgresql-" + server.major()
                            + ") or pass its bin directory: --pg-bin " + DEBIAN_ROOT.resolve(String.valueOf(server.major())).resolve("bin"),
                            "install PostgreSQL " + server.major() + " (Debian: apt-get install postgresql-" + server.major()
                                    + ") and set the profile's PostgreSQL bin directory (Settings) to " + DEBIAN_ROOT.resolve(String.valueOf(server.major())).resolve("bin")));
        }
    }

    /**
     * Fails unless this installation's pg_basebackup can back up a server of that major:
     * pg_basebackup reads servers of its own major and older ones, never newer ones.
     */
    public void requireCanBackUp(PgVersion server) {
        PgInstallation from = Files.isExecutable(binDir.resolve("pg_basebackup")) || clients.isEmpty() ? this : clients.get();
        if (from.version.major() < server.major()) {
            throw new PitrException("pg_basebackup in " + from.binDir + " is version " + from.version.major()
                    + ", older than the server (version " + server.major() + ")",
                    Hint.of("install PostgreSQL " + server.major() + "'s client programs (Debian: apt-get install postgresql-client-"
                            + server.major() + ") or pass their bin directory with --pg-bin",
                            "install PostgreSQL " + server.major() + "'s client programs (Debian: apt-get install postgresql-client-"
                                    + server.major() + ") and set the profile's PostgreSQL bin directory (Settings) to their bin directory"));
        }
    }

    private static Optional<PgInstallation> newestFull(Map<String, String> env) {
        return Stream.concat(debianInstallations(), pathEntries(env))
                .filter(d -> Files.isExecutable(d.resolve("pg_basebackup")) && Files.isExecutable(d.resolve("psql")))
                .findFirst()
                .map(d -> new PgInstallation(d, debianVersion(d).orElseGet(() -> readVersion(d.resolve("pg_basebackup")))));
    }

    private static Stream<Path> pathList(String list) {
        return Stream.of(list.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of);
    }

    private static Stream<Path> debianInstallations() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Stream.empty();
        }
        try (Stream<Path> dirs = Files.list(DEBIAN_ROOT)) {
            return dirs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
                    .map(p -> p.resolve("bin"))
                    .toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static Stream<Path> pathEntries(Map<String, String> env) {
        return pathList(env.getOrDefault("PATH", ""));
    }

    /**
     * Debian keeps each major version in /usr/lib/postgresql/MAJOR/bin, so the path says the
     * version without starting a program (which costs a short command a noticeable pause).
     */
    private static Optional<PgVersion> debianVersion(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.getParent() != null && abs.getFileName().toString().equals("bin")
                && abs.getParent().getParent() != null && abs.getParent().getParent().equals(DEBIAN_ROOT)
                && abs.getParent().getFileName().toString().matches("\\d+")) {
            return Optional.of(PgVersion.majorOnly(Integer.parseInt(abs.getParent().getFileName().toString())));
        }
        return Optional.empty();
    }

    /**
     * The full version, asking the programs when only the major is known from the directory's name
     * (which start-up avoids, since it costs a program run): for reports a DBA reads.
     */
    public PgVersion exactVersion() {
        if (version.minor() != PgVersion.UNKNOWN) {
            return version;
        }
        try {
            return readVersion(tool("pg_ctl"));
        } catch (PitrException e) {
            return version;
        }
    }

    private static PgVersion readVersion(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return PgVersion.parseToolOutput(out);
        } catch (IOException e) {
            throw new PitrException("could not run " + program + ": " + e.getMessage(), "check the file is an executable PostgreSQL program");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while checking " + program, "");
        }
    }
}
