import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.wal.SegmentScan;
import io.pitrconsole.wal.WalSegmentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads every segment in a directory with the native reader, one after the other on one thread,
 * and prints one line: segments, seconds (in-process), transaction ends found, bytes read, damaged.
 *   usage: java -cp target/pitr-console.jar bench/wal/ReadSegments.java DIR
 */
public class ReadSegments {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> WalSegmentName.looksLikeSegment(p.getFileName().toString())
                    && !p.getFileName().toString().contains(".")).sorted().toList();
        }
        long t0 = System.nanoTime();
        long xacts = 0;
        long bytes = 0;
        int damaged = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            Optional<Path> next = i + 1 < files.size() ? Optional.of(files.get(i + 1)) : Optional.empty();
            WalSegmentName name = WalSegmentName.parse(f.getFileName().toString(), WalSegmentName.DEFAULT_SEGMENT_SIZE);
            SegmentScan scan = WalSegmentReader.scan(name, f, next);
            xacts += scan.transactions().size();
            bytes += scan.bytesRead();
            damaged += scan.info().valid() ? 0 : 1;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("segments=%d seconds=%.3f xacts=%d bytes=%d damaged=%d%n", files.size(), secs, xacts, bytes, damaged);
    }
}
