package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The native reader against pg_waldump and the server, on WAL a real cluster wrote. */
class WalSegmentReaderTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(WalWorkload.SETTINGS);

    static WalWorkload.Facts facts;
    static List<Path> segments;
    static List<Waldump.Line> dump;

    @BeforeAll
    static void produceWal() throws Exception {
        PgTestCluster c = pg.cluster();
        facts = WalWorkload.run(c);
        segments = WalWorkload.segments(c.walArchive());
        dump = Waldump.records(c.installation().binDir(), c.walArchive(),
                segments.get(0).getFileName().toString(), segments.get(segments.size() - 1).getFileName().toString());
    }

    private static List<SegmentScan> scanAll(List<Path> files) {
        return scanAll(files, WalSegmentReader.scanner());
    }

    private static List<SegmentScan> scanAll(List<Path> files, WalSegmentReader.Scanner scanner) {
        List<SegmentScan> scans = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Optional<Path> next = i + 1 < files.size() ? Optional.of(files.get(i + 1)) : Optional.empty();
            scans.add(scanner.scan(WalWorkload.nameOf(files.get(i)), files.get(i), next));
        }
        return scans;
    }

    @Test
    void indexChecksFindEverythingFullChecksFind() {
        List<SegmentScan> full = scanAll(segments);
        List<SegmentScan> index = scanAll(segments, WalSegmentReader.scanner(WalSegmentReader.Checks.INDEX));

        assertThat(all(index, SegmentScan::transactions))
                .containsExactlyElementsOf(dump.stream().flatMap(l -> Waldump.xactEnd(l).stream()).toList());
        for (int i = 0; i < full.size(); i++) {
            SegmentScan f = full.get(i);
            SegmentScan x = index.get(i);
            assertThat(x.info()).isEqualTo(f.info());
            assertThat(x.transactions()).isEqualTo(f.transactions());
            assertThat(x.checkpoints()).isEqualTo(f.checkpoints());
            assertThat(x.endsOfRecovery()).isEqualTo(f.endsOfRecovery());
            assertThat(x.switchLsn()).isEqualTo(f.switchLsn());
            assertThat(x.recordCount()).isEqualTo(f.recordCount());
        }
    }

    @Test
    void indexSummaryWithoutTheTransactionListIsTheFullScansSummary() {
        // read() keeps only the first and last transaction time, not an object per transaction
        List<SegmentScan> full = scanAll(segments);
        WalSegmentReader.Scanner index = WalSegmentReader.scanner(WalSegmentReader.Checks.INDEX);
        for (int i = 0; i < segments.size(); i++) {
            Optional<Path> next = i + 1 < segments.size() ? Optional.of(segments.get(i + 1)) : Optional.empty();
            assertThat(index.read(WalWorkload.nameOf(segments.get(i)), segments.get(i), next)).isEqualTo(full.get(i).info());
            assertThat(WalSegmentReader.read(WalWorkload.nameOf(segments.get(i)), segments.get(i), next)).isEqualTo(full.get(i).info());
        }
        assertThat(full).filteredOn(s -> s.transactions().size() > 1).isNotEmpty();
    }

    private static <T> List<T> all(List<SegmentScan> scans, Function<SegmentScan, List<T>> part) {
        return scans.stream().flatMap(s -> part.apply(s).stream()).toList();
    }

    @Test
    void sameTransactionEndsAsPgWaldump() {
        List<SegmentScan> scans = scanAll(segments);
        List<XactEnd> expected = dump.stream().flatMap(l -> Waldump.xactEnd(l).stream()).toList();

        assertThat(expected).hasSizeGreaterThan(40);
        assertThat(expected).extracting(XactEnd::kind).contains(XactKind.values());
        assertThat(all(scans, SegmentScan::transactions)).containsExactlyElementsOf(expected);
        assertThat(scans.stream().mapToInt(SegmentScan::recordCount).sum()).isEqualTo(dump.size());
    }

    @Test
    void firstAndLastTransactionTimesPerSegment() {
        for (SegmentScan s : scanAll(segments)) {
            List<XactEnd> inSegment = dump.stream().flatMap(l -> Waldump.xactEnd(l).stream())
                    .filter(x -> WalSegmentName.containing(1, x.lsn(), WalSegmentName.DEFAULT_SEGMENT_SIZE)
                            .equals(s.info().name()))
                    .toList();
            assertThat(s.info().firstXactTime()).isEqualTo(inSegment.stream().findFirst().map(XactEnd::time));
            assertThat(s.info().lastXactTime()).isEqualTo(inSegment.isEmpty() ? Optional.empty()
                    : Optional.of(inSegment.get(inSegment.size() - 1).time()));
            assertThat(s.info().complete()).as(s.info().toString()).isTrue();
            assertThat(s.info().damage()).isEmpty();
            assertThat(s.info().fileSize()).isEqualTo(WalSegmentName.DEFAULT_SEGMENT_SIZE);
        }
    }

    @Test
    void commitTimesAreTheServersCommitTimestamps() {
        Map<Long, Instant> byXid = new java.util.HashMap<>();
        all(scanAll(segments), SegmentScan::transactions).stream()
                .filter(x -> x.kind() == XactKind.COMMIT)
                .forEach(x -> byXid.put(x.xid(), x.time()));
        assertThat(facts.commitTimes()).hasSize(35);
        facts.commitTimes().forEach((xid, time) -> assertThat(byXid.get(xid)).as("xid " + xid).isEqualTo(time));
    }

    @Test
    void restorePointsWithNameLsnAndTime() {
        List<RestorePoint> ours = all(scanAll(segments), s -> s.info().restorePoints());
        List<Waldump.Line> theirs = dump.stream().filter(l -> l.op().equals("RESTORE_POINT")).toList();

        assertThat(ours).extracting(RestorePoint::name).containsExactly("before batch", "point ü 2");
        assertThat(ours).extracting(RestorePoint::lsn).containsExactlyElementsOf(theirs.stream().map(Waldump.Line::lsn).toList());
        assertThat(theirs).extracting(Waldump.Line::desc).containsExactly("before batch", "point ü 2");
        for (RestorePoint rp : ours) {
            Instant[] window = facts.restorePointWindows().get(rp.name());
            assertThat(rp.time()).isBetween(window[0], window[1]);
            assertThat(rp.timeline()).isEqualTo(1);
        }
    }

    @Test
    void checkpointsAndSwitchesAsPgWaldump() {
        List<SegmentScan> scans = scanAll(segments);
        List<String> ours = all(scans, SegmentScan::checkpoints).stream()
                .map(c -> c.lsn() + " " + c.shutdown() + " " + c.redo() + " " + c.timeline() + " " + c.previousTimeline())
                .toList();
        assertThat(ours).isNotEmpty().containsExactlyElementsOf(dump.stream().flatMap(l -> Waldump.checkpoint(l).stream()).toList());
        assertThat(scans.stream().flatMap(s -> s.switchLsn().stream()).toList())
                .containsExactlyElementsOf(dump.stream().filter(l -> l.op().equals("SWITCH")).map(Waldump.Line::lsn).toList());
        // the segment ending in a switch is read only as far as the switch
        SegmentScan last = scans.get(scans.size() - 1);
        assertThat(last.switchLsn()).isPresent();
        assertThat(last.bytesRead()).isLessThan(WalSegmentName.DEFAULT_SEGMENT_SIZE);
        assertThat(last.info().endLsn().value()).isEqualTo(last.switchLsn().get().value() + 24);
    }

    @Test
    void recordsCrossingIntoTheNextSegmentNeedThatSegment() {
        boolean sawCrossing = false;
        for (int i = 0; i + 1 < segments.size(); i++) {
            WalSegmentName name = WalWorkload.nameOf(segments.get(i));
            SegmentInfo withNext = WalSegmentReader.read(name, segments.get(i), Optional.of(segments.get(i + 1)));
            long segEnd = name.startLsn().value() + name.segmentSize();
            if (withNext.endLsn().value() <= segEnd) {
                continue;
            }
            sawCrossing = true;
            SegmentInfo alone = WalSegmentReader.read(name, segments.get(i), Optional.empty());
            assertThat(alone.complete()).isTrue();
            assertThat(alone.damage()).isEmpty();
            assertThat(alone.endLsn().value()).isLessThan(segEnd);
            // the next record pg_waldump shows starts right after the crossing one
            long after = (withNext.endLsn().value() + 7) & ~7L;
            assertThat(dump).extracting(Waldump.Line::lsn).contains(new Lsn(after));
            SegmentInfo nextInfo = WalSegmentReader.read(name.next(), segments.get(i + 1), Optional.empty());
            assertThat(nextInfo.startLsn()).isEqualTo(new Lsn(after));
        }
        assertThat(sawCrossing).as("some record crosses a segment boundary").isTrue();
    }

    @Test
    void gzipAndZstdCopiesReadTheSame(@TempDir Path tmp) throws Exception {
        List<Path> gz = new ArrayList<>();
        List<Path> zst = new ArrayList<>();
        for (Path s : segments) {
            gz.add(compress(s, tmp.resolve(s.getFileName() + ".gz"), "gzip", "-c"));
            zst.add(compress(s, tmp.resolve(s.getFileName() + ".zst"), "zstd", "-q", "-c"));
        }
        List<SegmentScan> plain = scanAll(segments);
        for (List<Path> copies : List.of(gz, zst)) {
            List<SegmentScan> scans = scanAll(copies);
            for (int i = 0; i < plain.size(); i++) {
                SegmentScan a = plain.get(i);
                SegmentScan b = scans.get(i);
                assertThat(b.info().file()).isEqualTo(copies.get(i));
                assertThat(withoutFile(b.info())).isEqualTo(withoutFile(a.info()));
                assertThat(b.transactions()).isEqualTo(a.transactions());
                assertThat(b.checkpoints()).isEqualTo(a.checkpoints());
                assertThat(b.recordCount()).isEqualTo(a.recordCount());
            }
        }
    }

    private static SegmentInfo withoutFile(SegmentInfo i) {
        return new SegmentInfo(i.name(), Path.of(""), 0, i.startLsn(), i.endLsn(), i.firstXactTime(), i.lastXactTime(),
                i.restorePoints(), i.complete(), i.damage());
    }

    private static Path compress(Path from, Path to, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.add(from.toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(to.toFile()).start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.size(to)).isLessThan(Files.size(from));
        return to;
    }
}
