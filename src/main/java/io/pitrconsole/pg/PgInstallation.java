package io.pitrconsole.pg;

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
 * an explicit --pg-bin, PG_BINDIR, /usr/lib/postgresql/&lt;server major&gt;/bin, PATH, then the
 * newest /usr/lib/postgresql/&lt;ver&gt;/bin.
 */
public record PgInstallation(Path binDir, PgVersion version) {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    /** Finds an installation; prefers the given server major version when one is known. */
    public static PgInstallation locate(Optional<Path> explicitBin, Map<String, String> env, Optional<Integer> serverMajor) {
        List<Path> candidates = new ArrayList<>();
        explicitBin.ifPresent(candidates::add);
        Optional.ofNullable(env.get("PG_BINDIR")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
        if (explicitBin.isEmpty() && !env.containsKey("PG_BINDIR")) {
            serverMajor.map(v -> DEBIAN_ROOT.resolve(String.valueOf(v)).resolve("bin")).ifPresent(candidates::add);
            debianInstallations().forEach(candidates::add);
            pathEntries(env).forEach(candidates::add);
        }
        for (Path dir : candidates) {
            Path probe = dir.resolve("pg_basebackup");
            if (Files.isExecutable(probe) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                return new PgInstallation(dir, debianVersion(dir).orElseGet(() -> readVersion(probe)));
            }
            if (explicitBin.isPresent() && dir.equals(explicitBin.get())) {
                throw new PitrException("no PostgreSQL programs (pg_basebackup, pg_ctl) in " + dir,
                        "point --pg-bin at the bin directory of a PostgreSQL installation, e.g. /usr/lib/postgresql/15/bin");
            }
        }
        throw new PitrException("PostgreSQL programs not found (looked for pg_basebackup and pg_ctl)",
                "install the PostgreSQL server package (Debian: apt-get install postgresql-15) or pass --pg-bin DIR");
    }

    public Path tool(String name) {
        return binDir.resolve(name);
    }

    /** Fails when these programs cannot safely work with a server of that major version. */
    public void requireSameMajor(PgVersion server) {
        if (server.major() != version.major()) {
            throw new PitrException("PostgreSQL programs in " + binDir + " are version " + version.major()
                    + " but the server is version " + server.major(),
                    "use the programs of the server's version: --pg-bin " + DEBIAN_ROOT.resolve(String.valueOf(server.major())).resolve("bin"));
        }
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
        String path = env.getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of);
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
            return Optional.of(new PgVersion(Integer.parseInt(abs.getParent().getFileName().toString()), 0));
        }
        return Optional.empty();
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
