package io.pitrconsole.archiving;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.repository.local.ArchiveLayout;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real archive_command script the way the server does: script %p %f. */
class ArchiveCommandScriptTest {
    private static final String SEGMENT = "000000010000000000000007";

    @TempDir
    Path tmp;

    private record Run(int exit, String stderr) {
    }

    private Run archive(Path script, Path source, String name) throws Exception {
        Process p = new ProcessBuilder(script.toString(), source.toString(), name).redirectErrorStream(false).start();
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), err);
    }

    private Path segmentFile(String dir, long seed) throws Exception {
        byte[] bytes = new byte[1 << 20];
        new Random(seed).nextBytes(bytes);
        Path d = Files.createDirectories(tmp.resolve(dir));
        return Files.write(d.resolve(SEGMENT), bytes);
    }

    @Test
    void refusesToOverwriteADifferentSegmentAndAcceptsAnIdenticalOne() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.root());
        Path script = installScript(layout, Compression.NONE);
        // the one script of plain and encrypted repositories, with nothing of the encrypted one left to fill
        assertThat(Files.readString(script)).contains("\nAGE=''\n").doesNotContain("@@");
        Path original = segmentFile("pg_wal", 1);

        assertThat(archive(script, original, SEGMENT).exit()).isZero();
        Path archived = layout.walArchive().resolve(SEGMENT);
        assertThat(Files.mismatch(archived, original)).isEqualTo(-1);

        // The server retries a segment whose first archiving it did not see succeed: same bytes.
        assertThat(archive(script, original, SEGMENT).exit()).isZero();

        Path different = segmentFile("other", 2);
        Run refused = archive(script, different, SEGMENT);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("refusing to overwrite");
        assertThat(Files.mismatch(archived, original)).isEqualTo(-1);
        assertThat(leftovers(layout)).isEmpty();
    }

    @Test
    void compressesSegmentsButNotHistoryFilesAndComparesDecompressedContent() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.root());
        Path script = installScript(layout, Compression.GZIP);
        Path original = segmentFile("pg_wal", 3);

        assertThat(archive(script, original, SEGMENT).exit()).isZero();
        Path gz = layout.walArchive().resolve(SEGMENT + ".gz");
        assertThat(gz).exists();
        assertThat(layout.walArchive().resolve(SEGMENT)).doesNotExist();
        assertThat(gunzip(gz)).isEqualTo(Files.readAllBytes(original));
        assertThat(archive(script, original, SEGMENT).exit()).isZero();
        assertThat(archive(script, segmentFile("other", 4), SEGMENT).exit()).isNotZero();

        Path history = Files.writeString(tmp.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
        assertThat(archive(script, history, "00000002.history").exit()).isZero();
        assertThat(layout.walArchive().resolve("00000002.history")).hasContent(Files.readString(history));
        assertThat(leftovers(layout)).isEmpty();
    }

    @Test
    void failsWhenTheSourceIsMissingOrTheNameIsUnusual() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.root());
        Path script = installScript(layout, Compression.ZSTD);
        assertThat(archive(script, tmp.resolve("nope"), SEGMENT).exit()).isNotZero();
        assertThat(archive(script, segmentFile("pg_wal", 5), "../escape").exit()).isNotZero();
        assertThat(layout.root().resolve("escape")).doesNotExist();
    }

    private static byte[] gunzip(Path gz) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private static java.util.List<Path> leftovers(ArchiveLayout layout) throws Exception {
        try (Stream<Path> s = Files.list(layout.walArchive())) {
            // the lock file stays by design: it is what two racing writers lock
            return s.filter(p -> p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals(".archive-wal.lock")).toList();
        }
    }

    private Path script(ArchiveLayout layout, Compression compression) throws Exception {
        Path f = tmp.resolve("archive-wal-" + compression.label());
        Files.writeString(f, io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root()).wal().archiveCommand().render(compression.label()));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private static byte[] stored(Path file) throws Exception {
        if (!file.getFileName().toString().endsWith(".zst")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void twoWritersWithDifferentCompressionRacingOnOneSegmentCannotBothSucceed() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.walArchive());
        Path plain = script(layout, Compression.NONE);
        Path zstd = script(layout, Compression.ZSTD);
        int bothSucceeded = 0;
        for (int round = 0; round < 30; round++) {
            String name = String.format("0000000100000000%08X", 0x10 + round);
            byte[] a = new byte[4 << 20];
            byte[] b = new byte[4 << 20];
            new Random(2L * round).nextBytes(a);
            new Random(2L * round + 1).nextBytes(b);
            Path srcA = Files.write(Files.createDirectories(tmp.resolve("a")).resolve(name), a);
            Path srcB = Files.write(Files.createDirectories(tmp.resolve("b")).resolve(name), b);

            Process pa = new ProcessBuilder(plain.toString(), srcA.toString(), name).redirectErrorStream(true).start();
            Process pb = new ProcessBuilder(zstd.toString(), srcB.toString(), name).redirectErrorStream(true).start();
            pa.getInputStream().readAllBytes();
            pb.getInputStream().readAllBytes();
            boolean okA = pa.waitFor() == 0;
            boolean okB = pb.waitFor() == 0;

            Path asPlain = layout.walArchive().resolve(name);
            Path asZst = layout.walArchive().resolve(name + ".zst");
            if (okA && okB) {
                bothSucceeded++;
                continue;
            }
            assertThat(okA || okB).as("round " + round + ": one writer wins").isTrue();
            assertThat(Files.exists(asPlain) ^ Files.exists(asZst)).as("round " + round + ": stored once").isTrue();
            byte[] kept = stored(Files.exists(asPlain) ? asPlain : asZst);
            assertThat(kept).as("round " + round + ": the winner's segment").isEqualTo(okA ? a : b);
        }
        assertThat(bothSucceeded).as("rounds in which both writers reported success").isZero();
        assertThat(leftovers(layout)).isEmpty();
    }

    /** Installs the archive's archive_command script as 'archiving apply' does; returns where it is. */
    private static Path installScript(ArchiveLayout layout, Compression compression) {
        var command = io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root()).wal().archiveCommand();
        command.install(compression.label());
        return command.script();
    }
}
