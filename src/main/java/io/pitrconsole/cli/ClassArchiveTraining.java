package io.pitrconsole.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The launcher (bin/pitr-console) records the classes of its first run into a class-data-sharing
 * archive that later runs map instead of loading and verifying those classes again. Whatever ran
 * first decides what the archive holds, and a first run of '--version' or of the console window
 * would leave 'backup create' from cron loading most of its classes from the jar at every start.
 * So the recording run, once its own work is done, also loads what the command-line verbs use:
 * every verb's picocli model, this program's non-GUI classes, and the JDBC driver's and the
 * decompressors' classes that a connection or an archive read needs.
 */
public final class ClassArchiveTraining {
    /** Set by the launcher on the run that records the archive. */
    public static final String PROPERTY = "pitr.console.cds.training";

    /** Class-name prefixes (as jar paths) the verbs load; the GUI's classes are left to the GUI. */
    static final List<String> PREFIXES = List.of("io/pitrconsole/", "org/postgresql/core/", "org/postgresql/jdbc/",
            "org/postgresql/util/", "org/postgresql/Driver", "com/github/luben/zstd/", "net/jpountz/lz4/",
            "org/apache/commons/compress/archivers/tar/", "org/apache/commons/compress/compressors/lz4/",
            "org/apache/commons/compress/utils/", "com/fasterxml/jackson/datatype/jsr310/");
    private static final String EXCLUDED = "io/pitrconsole/ui/";

    private ClassArchiveTraining() {
    }

    /** True when this run records the launcher's class archive. */
    public static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Loads (without initialising) the classes the verbs use; never fails the run it is part of. */
    public static void loadCommandLineClasses(Map<String, String> env) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try {
            PitrCli.run(new String[] {"--help"}, env, nowhere, nowhere, new ByteArrayInputStream(new byte[0]));
            loadBucketClasses(env, nowhere);
            jar().ifPresent(jar -> classNames(jar).forEach(ClassArchiveTraining::load));
        } catch (RuntimeException | LinkageError e) {
            // only makes later starts faster; the command itself has already done its work
        }
    }

    /**
     * The S3 client's classes (about 1,800 of the SDK's, with its lambdas), which only a request
     * loads: one bucket command, as far as its first request, to an address where nothing listens.
     * Without them every bucket command after a first run of another verb loaded and verified them
     * from the jar, about 0.3 s of each start. Nothing is sent; the command's error goes nowhere, and
     * its cache folder into a temporary directory removed after.
     */
    private static void loadBucketClasses(Map<String, String> env, PrintWriter nowhere) {
        Path cache = null;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int closedPort = s.getLocalPort();
            s.close();
            cache = Files.createTempDirectory("pitr-console-training");
            Map<String, String> training = new java.util.HashMap<>(env);
            training.put("XDG_CACHE_HOME", cache.toString());
            training.put("AWS_ACCESS_KEY_ID", "training");
            training.put("AWS_SECRET_ACCESS_KEY", "training");
            training.remove("AWS_SESSION_TOKEN");
            PitrCli.run(new String[] {"backup", "list", "--archive", "s3://pitr-console-training/classes", "--s3-endpoint",
                    "http://127.0.0.1:" + closedPort, "--s3-path-style", "--s3-region", "us-east-1"}, training, nowhere, nowhere,
                    new ByteArrayInputStream(new byte[0]));
        } catch (IOException | RuntimeException | LinkageError e) {
            // only makes later starts faster
        } finally {
            if (cache != null) {
                try {
                    io.pitrconsole.core.FileTrees.deleteRecursively(cache);
                } catch (IOException | RuntimeException e) {
                    // a temporary directory: the system cleans it up
                }
            }
        }
    }

    /** Names of the jar's classes the verbs use. */
    static Stream<String> classNames(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).filter(ClassArchiveTraining::wanted)
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    static boolean wanted(String entry) {
        return entry.endsWith(".class") && !entry.endsWith("module-info.class") && !entry.startsWith(EXCLUDED)
                && PREFIXES.stream().anyMatch(entry::startsWith);
    }

    private static java.util.Optional<Path> jar() {
        try {
            Path p = Path.of(ClassArchiveTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static void load(String name) {
        try {
            Class.forName(name, false, ClassArchiveTraining.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // an optional dependency's class (e.g. a driver feature's) that cannot load here is simply left out
        }
    }
}
