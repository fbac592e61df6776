package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.repository.encryption.AgeProgram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An encrypted directory repository a real server archives into with compression: the script
 * compresses each segment, then encrypts it with age. With PostgreSQL 15 and gzip, and with
 * another major (17, its own pg_basebackup) and zstd: no stored file holds a marker written into
 * the database, the segments are compressed before they are encrypted, backup verify, windows and
 * a rehearsal to a mid-point (exactly that point's rows) work with the key, and a flipped byte in
 * a compressed, encrypted segment is named as tampering.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EncryptedCompressedDirectoryTest {
    private static final long SEGMENT = 16L * 1024 * 1024;

    @ParameterizedTest(name = "PostgreSQL {0}, {1}")
    @CsvSource({"15, gzip, .gz", "17, zstd, .zst"})
    void compressedThenEncryptedSegmentsRestoreExactlyAndHideTheMarker(int major, String compress, String suffix) throws Exception {
        Map<String, String> settings = Map.of("archive_command", "''", "archive_timeout", "0");
        String marker = "pitr-marker-" + UUID.randomUUID();
        Path home = Files.createTempDirectory("pitr-encrypted-compressed-home-");
        try (PgTestCluster c = major == 15 ? PgTestCluster.start(settings) : PgTestCluster.startWithClients(major, settings)) {
            Map<String, String> env = new HashMap<>();
            env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
            env.put("XDG_DATA_HOME", home.resolve("data").toString());
            env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
            Path key = c.baseDir().resolve("repository.key");
            AgeProgram.find(System.getenv()).generate(key);
            // the server's OS user reads the key: its restore_command decrypts
            c.giveToServerUser(key);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Cli cli = new Cli(c, env, key);
            assertThat(c.queryOne("SHOW server_version_num")).startsWith(String.valueOf(major));

            cli.ok(c.archiveDir(), "archiving", "apply", "--compress", compress);
            c.sql("CREATE TABLE t (id int, batch int, note text)");
            String backupId = Json.mapper().readTree(cli.ok(c.archiveDir(), "backup", "create", "--json").out()).path("id").asText();
            c.sql("INSERT INTO t SELECT g, 1, '" + marker + "' FROM generate_series(1, 100) g");
            OffsetDateTime afterFirst = c.serverNow();
            Thread.sleep(1500);
            OffsetDateTime between = afterFirst.plusNanos(700_000_000L);
            c.sql("INSERT INTO t SELECT g, 2, '" + marker + "' FROM generate_series(1, 50) g");
            String last = c.switchWalAndWaitArchivedByServer();

            // the marker is there to be found in plain WAL: the search of the repository below can fail
            assertThat(c.plainWalHolds(marker)).as("the marker in the server's own pg_wal").isTrue();
            List<Path> stored = filesUnder(c.archiveDir());
            assertThat(stored).as("the segments, under the compressed name").anyMatch(p -> p.getFileName().toString().equals(last + suffix))
                    .noneMatch(p -> p.getFileName().toString().matches("[0-9A-F]{24}"));
            for (Path f : stored) {
                assertThat(holds(f, marker)).as(f + " holds the marker").isFalse();
                if (f.getFileName().toString().matches("[0-9A-F]{24}\\" + suffix)) {
                    byte[] content = Files.readAllBytes(f);
                    assertThat(new String(content, 0, 21, StandardCharsets.US_ASCII)).as(f.toString()).isEqualTo("age-encryption.org/v1");
                    // encrypted whole, a segment is 16 MiB and more: this one was compressed first
                    assertThat((long) content.length).as(f.toString()).isLessThan(SEGMENT / 4);
                }
            }

            JsonNode verify = Json.mapper().readTree(cli.ok(c.archiveDir(), "backup", "verify", backupId, "--json").out());
            assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
            assertThat(cli.ok(c.archiveDir(), "windows", "--json").out()).contains(backupId);
            assertThat(cli.ok(c.archiveDir(), "wal", "status", "--verify").out()).contains("gaps: none", "damaged segments: none");
            JsonNode report = Json.mapper().readTree(cli.ok(c.archiveDir(), "restore", "run", "--to", between.toString(), "--rehearsal", "--json").out());
            assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("succeeded");
            assertThat(report.path("rowCounts").path("public.t").asLong()).isEqualTo(100);

            // a flipped byte in a compressed, encrypted segment of a copy of the repository: named as tampering
            Path copy = c.copyOfArchive("pitr-encrypted-compressed-copy-");
            try {
                Files.createDirectories(copy.resolve(".pitr"));
                Files.copy(c.archiveDir().resolve(".pitr/encryption.json"), copy.resolve(".pitr/encryption.json"));
                Path segment = copy.resolve("wal_archive").resolve(last + suffix);
                flipByte(segment, Files.size(segment) / 2);
                CliRunner.Result status = cli.run(copy, "wal", "status", "--verify");
                assertThat(status.exit()).as("damaged WAL: what 'health' calls critical").isEqualTo(2);
                assertThat(status.out()).contains(last + suffix, "was tampered with or damaged");
                assertThat(status.noStackTrace()).as(status.err()).isTrue();
            } finally {
                FileTrees.deleteRecursively(copy);
            }
        } finally {
            FileTrees.deleteRecursively(home);
        }
    }

    /** The command line against one cluster with the repository's key. */
    private record Cli(PgTestCluster c, Map<String, String> env, Path key) {
        CliRunner.Result ok(Path archive, String... verb) {
            CliRunner.Result r = run(archive, verb);
            assertThat(r.exit()).as(String.join(" ", verb) + ": " + r.err() + r.out()).isZero();
            return r;
        }

        CliRunner.Result run(Path archive, String... verb) {
            List<String> a = new ArrayList<>(List.of(verb));
            a.addAll(List.of("--archive", archive.toString(), "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", "postgres",
                    "--pg-bin", c.installation().binDir().toString(), "--encryption-key-file", key.toString()));
            return CliRunner.run(env, a.toArray(String[]::new));
        }
    }

    private static boolean holds(Path file, String marker) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(marker);
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            ch.write(b, at);
        }
    }
}
