package io.pitrconsole.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source tree's launcher, bin/pitr-console, records a class-data-sharing archive on its first
 * run. Whatever that first run is, the verbs run later must find their classes in the archive.
 */
class LauncherClassArchiveIT {
    private static final Path LAUNCHER = Path.of("bin/pitr-console").toAbsolutePath();
    private static final Path JAR = Path.of("target/pitr-console.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private record Result(int exit, String output) {
    }

    private Result run(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList())
                .redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.environment().put("PITR_CONSOLE_JAR", extraEnv.getOrDefault("PITR_CONSOLE_JAR", JAR.toString()));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        extraEnv.forEach((k, v) -> {
            if (!k.equals("PITR_CONSOLE_JAR")) {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private List<Path> archives() throws IOException {
        Path cache = dir.resolve("cache/pitr-console");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(f -> f.getFileName().toString().matches("classes-\\d+\\.jsa")).toList();
        }
    }

    @Test
    void anArchiveRecordedByVersionServesTheBackupVerbs() throws Exception {
        Result first = run(Map.of(), "--version");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).startsWith("pitr-console ");
        assertThat(archives()).hasSize(1);

        Path archive = Files.createDirectories(dir.resolve("archive"));
        Path log = dir.resolve("classes.log");
        Result list = run(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log), "backup", "list", "--archive", archive.toString());
        assertThat(list.exit()).as(list.output()).isZero();
        assertThat(list.output()).contains("no backups");
        List<String> loaded = Files.readAllLines(log);
        // classes '--version' never touches: the archive has them because the recording run loaded the verbs' classes
        assertFromArchive(loaded, "io.pitrconsole.archive.BackupCatalog", "io.pitrconsole.backup.BackupService",
                "io.pitrconsole.cli.backup.BackupListCommand");
        // picocli's classes are Java 5 class files, which Java 17 keeps only in a static archive
        assertFromArchive(loaded, "picocli.CommandLine");

        // a bucket command finds the S3 client's classes there too, though '--version' opened no bucket
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path bucketLog = dir.resolve("bucket-classes.log");
        Result bucket = run(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + bucketLog, "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test"), "backup", "list", "--archive", "s3://nobucket/x", "--s3-endpoint",
                "http://127.0.0.1:" + closedPort, "--s3-path-style", "--s3-region", "us-east-1");
        assertThat(bucket.exit()).as(bucket.output()).isNotZero();
        assertThat(bucket.output()).contains("error:");
        assertFromArchive(Files.readAllLines(bucketLog), "io.pitrconsole.repository.s3.S3Connection",
                "software.amazon.awssdk.services.s3.DefaultS3Client", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient");
    }

    /** Each class was mapped from the class archive, by the JVM's class+load log. */
    private static void assertFromArchive(List<String> loaded, String... classes) {
        for (String cls : classes) {
            assertThat(loaded).as(cls).anyMatch(l -> l.contains(" " + cls + " source: shared objects file"));
        }
    }

    @Test
    void onlyTheThreeNewestArchivesAreKept() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache/pitr-console"));
        for (int i = 1; i <= 4; i++) {
            Path old = Files.writeString(cache.resolve("classes-" + i + ".jsa"), "stale");
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600L * i)));
        }
        Result r = run(Map.of(), "--version");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(archives()).extracting(p -> p.getFileName().toString())
                .hasSize(3).contains("classes-1.jsa", "classes-2.jsa").doesNotContain("classes-3.jsa", "classes-4.jsa")
                .anyMatch(n -> !n.matches("classes-[1-4]\\.jsa"));
    }
}
