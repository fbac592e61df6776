package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.CliRunner;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged segments, made by mutating real ones with a fixed seed: the reader always returns,
 * reports the damage with a location, and keeps what it read before the damage.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WalSegmentDamageTest {
    private static final int SEG = (int) WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final int PAGE = 8192;

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(WalWorkload.SETTINGS);

    /** Real segments with many records, and what the reader finds in them intact. */
    static List<Source> sources = new ArrayList<>();

    record Source(Path file, byte[] bytes, SegmentScan intact) {
        WalSegmentName name() {
            return WalWorkload.nameOf(file);
        }

        int usedBytes() {
            return (int) Math.min(SEG, intact.info().endLsn().value() - name().startLsn().value());
        }
    }

    @TempDir
    Path tmp;

    @BeforeAll
    static void realSegments() throws Exception {
        WalWorkload.run(pg.cluster());
        for (Path f : WalWorkload.segments(pg.cluster().walArchive())) {
            SegmentScan s = WalSegmentReader.scan(WalWorkload.nameOf(f), f, Optional.empty());
            if (s.recordCount() > 100) {
                sources.add(new Source(f, Files.readAllBytes(f), s));
            }
        }
        assertThat(sources).hasSizeGreaterThanOrEqualTo(2);
        assertThat(sources).allSatisfy(s -> assertThat(s.intact().info().damage()).isEmpty());
    }

    private SegmentScan scanMutated(Source src, byte[] bytes, String suffix) throws IOException {
        Path f = tmp.resolve(src.file().getFileName() + suffix);
        Files.write(f, bytes);
        SegmentScan s = WalSegmentReader.scan(src.name(), f, Optional.empty());
        s.info().damage().ifPresent(d -> assertThat(d).doesNotContain("internal reader error"));
        // a summary read, which lists no transactions, stops where the scan with the same checks does
        assertThat(WalSegmentReader.read(src.name(), f, Optional.empty())).isEqualTo(s.info());
        WalSegmentReader.Scanner index = WalSegmentReader.scanner(WalSegmentReader.Checks.INDEX);
        assertThat(index.read(src.name(), f, Optional.empty())).isEqualTo(index.scan(src.name(), f, Optional.empty()).info());
        return s;
    }

    private static void assertDamaged(SegmentScan s, String what) {
        assertThat(s.info().damage()).as(what).isPresent();
        assertThat(s.info().damage().get()).contains("reading stopped at");
        assertThat(s.info().complete()).isFalse();
        assertThat(s.damageLsn()).isPresent();
    }

    /** What was read before the damage is what the intact segment has up to there. */
    private static void assertKeepsPrefix(SegmentScan damaged, Source src) {
        List<XactEnd> before = damaged.transactions();
        assertThat(src.intact().transactions().subList(0, before.size())).isEqualTo(before);
        long stop = damaged.damageLsn().orElseThrow().value();
        assertThat(src.intact().transactions().stream().filter(x -> x.lsn().value() < stop - 1024 * 1024).count())
                .isLessThanOrEqualTo(before.size());
    }

    @Test
    void bitFlipInAnyCommitRecordHeaderIsCaught() throws IOException {
        Random rnd = new Random(42);
        int tested = 0;
        for (Source src : sources) {
            List<XactEnd> xacts = src.intact().transactions();
            for (int i = 0; i < Math.min(20, xacts.size()); i++) {
                XactEnd x = xacts.get(rnd.nextInt(xacts.size()));
                byte[] b = src.bytes().clone();
                int off = (int) (x.lsn().value() - src.name().startLsn().value()) + rnd.nextInt(8);
                b[off] ^= (byte) (1 << rnd.nextInt(8));
                SegmentScan s = scanMutated(src, b, "");
                assertDamaged(s, "flip at " + off);
                assertThat(s.damageLsn().get().value()).isGreaterThanOrEqualTo(x.lsn().value());
                assertThat(s.transactions()).doesNotContain(x);
                assertThat(s.transactions()).isEqualTo(src.intact().transactions().subList(0, s.transactions().size()));
                assertThat(s.transactions()).containsAll(xacts.stream().filter(y -> y.lsn().compareTo(x.lsn()) < 0).toList());
                tested++;
            }
        }
        assertThat(tested).isGreaterThan(10);
    }

    @Test
    void randomMutationsNeverThrowAndAreReported() throws IOException {
        Random rnd = new Random(20261125);
        int flipsCaught = 0;
        int flips = 0;
        for (int round = 0; round < 240; round++) {
            Source src = sources.get(rnd.nextInt(sources.size()));
            byte[] b = src.bytes().clone();
            int used = src.usedBytes();
            int kind = round % 6;
            switch (kind) {
                case 0 -> {
                    int off = rnd.nextInt(used);
                    b[off] ^= (byte) (1 << rnd.nextInt(8));
                    SegmentScan s = scanMutated(src, b, "");
                    flips++;
                    if (s.info().damage().isPresent()) {
                        flipsCaught++;
                        assertKeepsPrefix(s, src);
                    } else {
                        // a flip in alignment padding changes nothing the reader reports
                        assertThat(s.transactions()).isEqualTo(src.intact().transactions());
                        assertThat(s.info().restorePoints()).isEqualTo(src.intact().info().restorePoints());
                    }
                }
                case 1 -> {
                    int len = rnd.nextInt(used);
                    SegmentScan s = scanMutated(src, Arrays.copyOf(b, len), "");
                    assertDamaged(s, "truncated to " + len);
                    assertKeepsPrefix(s, src);
                }
                case 2 -> {
                    int off = rnd.nextInt(Math.max(1, used - 256));
                    byte[] noise = new byte[256];
                    rnd.nextBytes(noise);
                    System.arraycopy(noise, 0, b, off, 256);
                    SegmentScan s = scanMutated(src, b, "");
                    assertDamaged(s, "random bytes at " + off);
                    assertKeepsPrefix(s, src);
                }
                case 3 -> {
                    int pages = Math.max(2, used / PAGE);
                    int p1 = rnd.nextInt(pages);
                    int p2 = (p1 + 1 + rnd.nextInt(pages - 1)) % pages;
                    byte[] tmpPage = Arrays.copyOfRange(b, p1 * PAGE, p1 * PAGE + PAGE);
                    System.arraycopy(b, p2 * PAGE, b, p1 * PAGE, PAGE);
                    System.arraycopy(tmpPage, 0, b, p2 * PAGE, PAGE);
                    SegmentScan s = scanMutated(src, b, "");
                    assertDamaged(s, "pages " + p1 + " and " + p2 + " swapped");
                    assertKeepsPrefix(s, src);
                }
                case 4 -> {
                    int extra = 1 + rnd.nextInt(3 * PAGE);
                    byte[] longer = Arrays.copyOf(b, SEG + extra);
                    SegmentScan s = scanMutated(src, longer, "");
                    assertDamaged(s, "file too long by " + extra);
                    assertThat(s.info().damage().get()).contains("a segment is " + SEG);
                }
                default -> {
                    int off = rnd.nextInt(used);
                    Arrays.fill(b, off, Math.min(SEG, off + 1 + rnd.nextInt(4096)), (byte) 0);
                    SegmentScan s = scanMutated(src, b, "");
                    s.info().damage().ifPresent(d -> assertKeepsPrefix(s, src));
                }
            }
        }
        assertThat(flips).isEqualTo(40);
        // only alignment padding and unused header bytes are not covered by a check
        assertThat(flipsCaught).isGreaterThanOrEqualTo(flips * 8 / 10);
    }

    @Test
    void damageInsideARecordTheIndexDoesNotUseIsFoundByFullChecks() throws Exception {
        for (Source src : sources) {
            String name = src.file().getFileName().toString();
            long segStart = src.name().startLsn().value();
            Optional<Waldump.Line> big = Waldump.records(pg.cluster().installation().binDir(), src.file().getParent(), name, name)
                    .stream()
                    .filter(l -> l.rmgr().equals("LogicalMessage") && l.totalLength() > 3 * PAGE)
                    .filter(l -> l.lsn().value() - segStart + 4L * PAGE < src.usedBytes())
                    .findFirst();
            if (big.isEmpty()) {
                continue;
            }
            // a byte in the middle of a page that lies wholly inside the 100 kB message
            int off = (int) (((big.get().lsn().value() - segStart) / PAGE + 2) * PAGE + 100);
            byte[] b = src.bytes().clone();
            b[off] ^= 0x10;
            Path wal = Files.createDirectories(tmp.resolve("archive").resolve("wal_archive"));
            Path f = Files.write(wal.resolve(name), b);

            SegmentScan index = WalSegmentReader.scanner(WalSegmentReader.Checks.INDEX).scan(src.name(), f, Optional.empty());
            assertThat(index.info().damage()).isEmpty();
            assertThat(index.transactions()).isEqualTo(src.intact().transactions());
            SegmentScan full = WalSegmentReader.scanner(WalSegmentReader.Checks.FULL).scan(src.name(), f, Optional.empty());
            assertDamaged(full, "flip inside a logical message");
            assertThat(full.info().damage().get()).contains("CRC mismatch in record at " + big.get().lsn());
            assertKeepsPrefix(full, src);

            // what 'wal status' and 'wal status --verify' load
            ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
            assertThat(WalArchiveIndex.load(LocalDirectoryRepository.at(layout.root()), ProgressListener.NONE, Cancellation.none()).damaged()).isEmpty();
            assertThat(WalArchiveIndex.load(LocalDirectoryRepository.at(layout.root()), WalSegmentReader.Checks.FULL, ProgressListener.NONE, Cancellation.none())
                    .damaged()).singleElement().satisfies(d -> assertThat(d.damage().get()).contains("CRC mismatch"));
            return;
        }
        org.assertj.core.api.Assertions.fail("no segment holds a whole page of a large logical message");
    }

    @Test
    void walStatusExitsCriticalWhenItListsADamagedSegment() throws Exception {
        Source src = sources.get(0);
        String name = src.file().getFileName().toString();
        Path intact = tmp.resolve("intact");
        Files.copy(src.file(), Files.createDirectories(intact.resolve("wal_archive")).resolve(name));
        CliRunner.Result fine = CliRunner.run(java.util.Map.of(), "wal", "status", "--archive", intact.toString());
        assertThat(fine.exit()).as(fine.err()).isZero();
        assertThat(fine.out()).contains("damaged segments: none");

        // one flipped bit in the CRC of a commit record the index reads
        XactEnd x = src.intact().transactions().get(src.intact().transactions().size() / 2);
        byte[] b = src.bytes().clone();
        b[(int) (x.lsn().value() - src.name().startLsn().value()) + 20] ^= 0x01;
        Path damaged = tmp.resolve("damaged");
        Files.write(Files.createDirectories(damaged.resolve("wal_archive")).resolve(name), b);
        CliRunner.Result text = CliRunner.run(java.util.Map.of(), "wal", "status", "--archive", damaged.toString());
        assertThat(text.out()).contains("damaged: " + name + ": ");
        assertThat(text.exit()).as("the exit status of 'health' for damaged WAL: critical").isEqualTo(2);
        assertThat(text.err()).contains("error: 1 damaged WAL segment", "hint: ");
        assertThat(text.noStackTrace()).isTrue();
        CliRunner.Result json = CliRunner.run(java.util.Map.of(), "wal", "status", "--json", "--archive", damaged.toString());
        assertThat(json.exit()).isEqualTo(2);
        assertThat(io.pitrconsole.core.Json.mapper().readTree(json.out()).path("damaged")).hasSize(1);
    }

    @Test
    void badMagicIsNamed() throws IOException {
        Source src = sources.get(0);
        byte[] b = src.bytes().clone();
        b[1] = 0x00; // 0x0010: no PostgreSQL release's magic
        SegmentScan s = scanMutated(src, b, "");
        assertDamaged(s, "bad magic");
        assertThat(s.info().damage().get()).contains("bad page magic 0x0010").contains(src.name().startLsn().toString());

        // a first page of PostgreSQL 16 followed by pages of 15: one segment cannot mix majors
        byte[] mixed = src.bytes().clone();
        mixed[0] = 0x13;
        SegmentScan m = scanMutated(src, mixed, "");
        assertDamaged(m, "mixed magic");
        assertThat(m.info().damage().get()).contains("bad page magic 0xD110").contains("this segment is PostgreSQL 16 WAL");
        assertThat(m.damageLsn().get().value()).isEqualTo(src.name().startLsn().value() + PAGE);

        byte[] c = src.bytes().clone();
        int page = Math.max(1, src.usedBytes() / PAGE / 2);
        c[page * PAGE + 1] = 0x00;
        SegmentScan mid = scanMutated(src, c, "");
        assertDamaged(mid, "bad magic mid-segment");
        assertThat(mid.damageLsn().get().value()).isEqualTo(src.name().startLsn().value() + (long) page * PAGE);
        assertKeepsPrefix(mid, src);
    }

    @Test
    void walOfAnUnknownMajorIsUnsupportedNotDamaged() throws IOException {
        Source src = sources.get(0);
        byte[] b = src.bytes().clone();
        for (int page = 0; page < SEG / PAGE; page++) {
            if (b[page * PAGE] != 0 || b[page * PAGE + 1] != 0) {
                b[page * PAGE] = 0x1A; // 0xD11A on every written page: a release newer than 18
            }
        }
        Path f = Files.write(Files.createDirectories(tmp.resolve("archive").resolve("wal_archive"))
                .resolve(src.file().getFileName().toString()), b);
        assertThatThrownBy(() -> WalSegmentReader.scan(src.name(), f, Optional.empty()))
                .isInstanceOf(UnsupportedWalException.class)
                .hasMessageContaining("PostgreSQL 19 or later WAL is not supported by this version")
                .hasMessageContaining("0xD11A").hasMessageContaining(src.file().getFileName().toString());

        // what 'wal status' loads: the archive is refused by name, no segment is called damaged
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        assertThatThrownBy(() -> WalArchiveIndex.load(LocalDirectoryRepository.at(layout.root()), ProgressListener.NONE, Cancellation.none()))
                .isInstanceOf(UnsupportedWalException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> WalRecordCheck.check(List.of(f), SEG, ProgressListener.NONE, Cancellation.none()))
                .isInstanceOf(UnsupportedWalException.class);
        for (String[] verb : List.of(new String[] {"wal", "status"}, new String[] {"wal", "status", "--verify"}, new String[] {"windows"})) {
            List<String> args = new ArrayList<>(List.of(verb));
            args.addAll(List.of("--archive", tmp.resolve("archive").toString()));
            CliRunner.Result cli = CliRunner.run(java.util.Map.of(), args.toArray(String[]::new));
            assertThat(cli.exit()).as(String.join(" ", verb)).isNotZero();
            assertThat(cli.noStackTrace()).isTrue();
            assertThat(cli.err()).contains("PostgreSQL 19 or later WAL is not supported by this version").doesNotContain("damaged");
        }

        // the same magic on the first page only is a damaged page of a known major
        byte[] one = src.bytes().clone();
        one[0] = 0x1A;
        SegmentScan s = scanMutated(src, one, ".one");
        assertDamaged(s, "first page magic only");
        assertThat(s.info().damage().get()).contains("bad page magic 0xD11A");
    }

    @Test
    void randomFileEmptyFileAndShortFile() throws IOException {
        Source src = sources.get(0);
        byte[] noise = new byte[SEG];
        new Random(7).nextBytes(noise);
        assertDamaged(scanMutated(src, noise, ""), "random file");
        assertDamaged(scanMutated(src, new byte[0], ""), "empty file");
        SegmentScan half = scanMutated(src, Arrays.copyOf(src.bytes(), SEG / 2), "");
        assertDamaged(half, "half a segment");
    }

    @Test
    void damagedCompressedFilesAreReportedNotThrown() throws IOException {
        Source src = sources.get(0);
        byte[] gz = gzip(src.bytes());
        Random rnd = new Random(99);
        for (int i = 0; i < 20; i++) {
            byte[] cut = Arrays.copyOf(gz, rnd.nextInt(gz.length));
            assertDamaged(scanMutated(src, cut, ".gz"), "truncated gzip");
            byte[] flipped = gz.clone();
            flipped[rnd.nextInt(flipped.length)] ^= (byte) 0x55;
            SegmentScan s = scanMutated(src, flipped, ".gz");
            assertThat(s).isNotNull();
        }
        byte[] notGzip = Arrays.copyOf(src.bytes(), 4096);
        assertDamaged(scanMutated(src, notGzip, ".gz"), "not gzip at all");
        assertDamaged(scanMutated(src, notGzip, ".zst"), "not zstd at all");
        byte[] zst = com.github.luben.zstd.Zstd.compress(src.bytes());
        assertDamaged(scanMutated(src, Arrays.copyOf(zst, zst.length / 2), ".zst"), "truncated zstd");
    }

    @Test
    void partialSegmentEndsCleanlyWhereItsWalEnds() throws IOException {
        Source src = sources.get(0);
        List<XactEnd> xacts = src.intact().transactions();
        XactEnd cutAfter = xacts.get(xacts.size() / 2);
        // everything from the page after that commit record is unused, as in a .partial file
        int start = (int) (cutAfter.lsn().value() - src.name().startLsn().value());
        int nextPage = (start / PAGE + 1) * PAGE;
        byte[] b = src.bytes().clone();
        Arrays.fill(b, nextPage, SEG, (byte) 0);

        SegmentScan partial = scanMutated(src, b, ".partial");
        assertThat(partial.info().damage()).isEmpty();
        assertThat(partial.info().complete()).isFalse();
        assertThat(partial.transactions()).contains(cutAfter);
        assertThat(partial.info().endLsn().value()).isLessThanOrEqualTo(src.name().startLsn().value() + nextPage);

        SegmentScan plain = scanMutated(src, b, "");
        assertDamaged(plain, "zeros in a complete segment");
        assertThat(plain.info().damage().get()).contains("WAL ends");
    }

    @Test
    void missingFileIsAnErrorWithHint() {
        Path missing = tmp.resolve("000000010000000000000042");
        assertThatThrownBy(() -> WalSegmentReader.read(WalWorkload.nameOf(missing), missing, Optional.empty()))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("cannot read WAL file")
                .satisfies(e -> assertThat(((PitrException) e).hint()).isNotEmpty());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
