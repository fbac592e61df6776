package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WalAheadTest {
    private static final int SEGMENT = 64 << 10;

    @TempDir
    Path tmp;

    @Test
    void stagesWholeSegmentsAsRestoreCommandWouldAndLeavesEverythingElseToIt() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("wal_archive"));
        byte[] a = segment(1);
        byte[] b = segment(2);
        byte[] c = segment(3);
        Files.write(archive.resolve(name(1)), a);
        Files.write(archive.resolve(name(2) + ".zst"), Zstd.compress(b));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive.resolve(name(3) + ".gz")))) {
            out.write(c);
        }
        byte[] truncated = Zstd.compress(segment(4));
        Files.write(archive.resolve(name(4) + ".zst"), Arrays.copyOf(truncated, truncated.length / 2));
        Files.write(archive.resolve(name(5)), Arrays.copyOf(segment(5), SEGMENT / 2));
        List<String> plan = List.of(name(1), name(2) + ".zst", name(3) + ".gz", name(4) + ".zst", name(5), name(6));
        Path dir = tmp.resolve("sandbox").resolve("wal-ahead");

        try (WalAhead ahead = new WalAhead(LocalDirectoryRepository.at(tmp).wal(), plan, dir, SEGMENT, f -> { })) {
            ahead.start(d -> { });
            await(() -> ahead.staged() == 3);
            Thread.sleep(300);

            assertThat(ahead.staged()).isEqualTo(3);
            assertThat(dir.resolve(name(1))).hasBinaryContent(a);
            assertThat(dir.resolve(name(2))).hasBinaryContent(b);
            assertThat(dir.resolve(name(3))).hasBinaryContent(c);
            // damaged, short and missing files are not staged: restore_command reads the archive and fails as it always did
            assertThat(list(dir)).containsExactlyInAnyOrder(name(1), name(2), name(3));
            assertThat(Files.getPosixFilePermissions(dir)).hasSize(3);
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void atMostAWindowOfCopiesWaitsAndTheServerTakingThemMovesItOn() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("wal_archive"));
        List<String> plan = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            Files.write(archive.resolve(name(i)), segment(i));
            plan.add(name(i));
        }
        Path dir = tmp.resolve("wal-ahead");
        int window = WalAhead.windowFor(SEGMENT);
        assertThat(window).isEqualTo(16);

        try (WalAhead ahead = new WalAhead(LocalDirectoryRepository.at(tmp).wal(), plan, dir, SEGMENT, f -> { })) {
            ahead.start(d -> { });
            await(() -> ahead.staged() == window);
            Thread.sleep(300);
            assertThat(list(dir)).hasSize(window);

            // the server takes the first four (restore_command renames them away) and logs each
            for (int i = 1; i <= 4; i++) {
                Files.move(dir.resolve(name(i)), tmp.resolve("RECOVERYXLOG"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                ahead.serverSaid("LOG:  restored log file \"" + name(i) + "\" from archive");
            }
            await(() -> ahead.staged() == 20);
            Thread.sleep(300);
            assertThat(list(dir)).hasSize(window);

            // it got five more from the archive itself (asked before they were staged): their copies are of no use any more
            ahead.serverSaid("LOG:  restored log file \"" + name(9) + "\" from archive");
            await(() -> ahead.staged() == 24);
            assertThat(list(dir)).doesNotContain(name(5), name(9)).contains(name(10), name(24));
            assertThat(dir.resolve(name(24))).hasBinaryContent(segment(24));
        }
        assertThat(dir).doesNotExist();
    }

    private static String name(int n) {
        return String.format("%08X%08X%08X", 1, 0, n);
    }

    private static byte[] segment(int seed) {
        byte[] b = new byte[SEGMENT];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aBucketKeepsMoreFetchesInFlightThanHalfTheCoresWhileALocalArchiveKeepsToThem() {
        assertThat(WalAhead.threadsFor(true, 2)).isEqualTo(1);
        assertThat(WalAhead.threadsFor(true, 16)).isEqualTo(4);
        // a fetch from a bucket waits on the network, not on this machine's cores
        assertThat(WalAhead.threadsFor(false, 2)).isGreaterThan(WalAhead.threadsFor(true, 2)).isLessThanOrEqualTo(WalAhead.windowFor(16L << 20));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
