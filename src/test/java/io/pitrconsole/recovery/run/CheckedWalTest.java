package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.repository.s3.S3Repository;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-check's copies of a bucket's WAL, against a real S3 API server: each object is fetched
 * once however often the check opens it, only copies of files that passed are handed over, and
 * closing leaves nothing behind.
 */
class CheckedWalTest {
    private static final long SEGMENT = 16L << 20;
    private static final List<String> FILES = List.of("000000010000000000000001", "000000010000000000000002",
            "000000010000000000000003", "000000010000000000000004");

    @RegisterExtension
    static S3ProxyExtension s3 = S3ProxyExtension.loggingRequests();
    @TempDir
    Path tmp;

    private S3Repository repo;
    private String bucket;

    @BeforeEach
    void bucketWithWal() throws Exception {
        bucket = s3.newBucket();
        repo = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/main", new S3Options(s3.endpoint().toString(), null, true)),
                s3.credentials(), tmp.resolve("cache"));
        for (String f : FILES) {
            repo.wal().put(f, new ByteArrayInputStream(content(f)));
        }
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private static byte[] content(String name) {
        byte[] b = new byte[64 * 1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (name.hashCode() + i);
        }
        return b;
    }

    private Map<String, Long> walGets() throws Exception {
        return s3.walRequests("GET").stream().filter(r -> r.contains("/" + bucket + "/") && r.matches(".*/wal_archive/[0-9A-F]{24}"))
                .collect(Collectors.groupingBy(r -> r.substring(r.lastIndexOf('/') + 1), TreeMap::new, Collectors.counting()));
    }

    @Test
    void eachObjectIsFetchedOnceAndOnlyCopiesThatPassedAreHandedOverThenNothingIsLeft() throws Exception {
        Path dir = tmp.resolve("rehearsal").resolve("wal-ahead-checked");
        CheckedWal checked = CheckedWal.forPlan(repo.wal(), FILES, dir, SEGMENT, true).orElseThrow();
        assertThat(dir.getParent()).as("nothing is made before the check reads").doesNotExist();
        WalStore reader = checked.reader();
        // as the check reads: each file, and the next one for a record running into it
        for (int i = 0; i < FILES.size(); i++) {
            assertThat(read(reader, FILES.get(i))).isEqualTo(content(FILES.get(i)));
            if (i + 1 < FILES.size()) {
                assertThat(read(reader, FILES.get(i + 1))).isEqualTo(content(FILES.get(i + 1)));
            }
        }
        assertThat(walGets()).as("GETs per WAL object").hasSize(FILES.size()).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        assertThat(checked.fetches()).isEqualTo(FILES.size());

        checked.checked(Set.of(FILES.get(2)));

        Optional<Path> first = checked.take(FILES.get(0));
        assertThat(first).isPresent();
        assertThat(Files.readAllBytes(first.get())).isEqualTo(content(FILES.get(0)));
        assertThat(checked.take(FILES.get(0))).as("handed over once").isEmpty();
        assertThat(checked.take(FILES.get(2))).as("a copy the check found damaged").isEmpty();
        assertThat(checked.take(FILES.get(3))).isPresent();
        checked.close();
        assertThat(dir.getParent()).as("the copies and the directory made for them are gone").doesNotExist();
    }

    @Test
    void anObjectGoneFromTheBucketReadsAsMissingAndNothingOfItIsKept() throws Exception {
        repo.wal().delete(FILES.get(1));
        Path dir = tmp.resolve("wal-ahead-checked");
        try (CheckedWal checked = CheckedWal.forPlan(repo.wal(), FILES, dir, SEGMENT, true).orElseThrow()) {
            WalStore reader = checked.reader();
            assertThat(read(reader, FILES.get(0))).isEqualTo(content(FILES.get(0)));
            assertThatThrownBy(() -> read(reader, FILES.get(1))).isInstanceOf(NoSuchFileException.class);
            checked.checked(Set.of(FILES.get(1)));
            assertThat(checked.take(FILES.get(1))).isEmpty();
            try (var s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString())).doesNotContain(FILES.get(1));
            }
        }
        assertThat(dir).doesNotExist();
    }

    /**
     * Compressed objects are decompressed by the fetching threads, once: the check maps the
     * segment itself and the server is handed that copy. One that does not decompress is left as
     * it was fetched, for the check to report as a corrupt compressed file, by its archive name.
     */
    @Test
    void compressedObjectsAreDecompressedOnceWhenFetchedAndACorruptOneIsLeftForTheCheckToReport() throws Exception {
        List<String> zst = FILES.stream().map(f -> f + ".zst").toList();
        for (String f : FILES) {
            repo.wal().delete(f);
        }
        for (String f : FILES) {
            byte[] stored = com.github.luben.zstd.Zstd.compress(segment(f));
            if (f.equals(FILES.get(1))) {
                stored[stored.length / 2] ^= 0x5a;
            }
            repo.wal().put(f + ".zst", new ByteArrayInputStream(stored));
        }
        byte[] corrupt = read(repo.wal(), zst.get(1));
        Path dir = tmp.resolve("wal-ahead-checked");
        try (CheckedWal checked = CheckedWal.forPlan(repo.wal(), zst, dir, SEGMENT, true).orElseThrow()) {
            WalStore reader = checked.reader();
            Path first = reader.localFile(zst.get(0)).orElseThrow();
            assertThat(first.getFileName()).hasToString(FILES.get(0));
            assertThat(Files.readAllBytes(first)).isEqualTo(segment(FILES.get(0)));
            Path left = reader.localFile(zst.get(1)).orElseThrow();
            assertThat(left.getFileName()).hasToString(zst.get(1));
            assertThat(Files.readAllBytes(left)).isEqualTo(corrupt);

            ReplayedWalCheck.Result r = ReplayedWalCheck.run(reader, zst, SEGMENT, Optional.empty(),
                    io.pitrconsole.recovery.target.RecoveryTarget.latest(), io.pitrconsole.core.ProgressListener.NONE,
                    io.pitrconsole.core.Cancellation.none());
            // not WAL at all, so every file is damaged: each is named as the archive names it
            assertThat(r.damagedFiles()).containsExactlyInAnyOrderElementsOf(zst);
            assertThat(r.problems().get(0).detail()).startsWith("WAL file " + zst.get(0) + " is damaged");
            assertThat(r.problems().get(1).detail()).startsWith("WAL file " + zst.get(1) + " is damaged");

            checked.checked(Set.of(zst.get(2)));
            assertThat(checked.take(zst.get(2))).isEmpty();
            Path handed = checked.take(zst.get(3)).orElseThrow();
            assertThat(handed.getFileName()).as("handed over decompressed").hasToString(FILES.get(3));
            assertThat(Files.readAllBytes(handed)).isEqualTo(segment(FILES.get(3)));
        }
        assertThat(dir).doesNotExist();
    }

    /** A whole segment's worth of bytes that compresses well, different per file. */
    private static byte[] segment(String name) {
        byte[] b = new byte[(int) SEGMENT];
        for (int i = 0; i < b.length; i += 4096) {
            b[i] = (byte) name.hashCode();
            b[i + 1] = (byte) (i >> 12);
        }
        return b;
    }

    @Test
    void aDirectoryOnThisMachineIsReadInPlace() throws Exception {
        Path archive = tmp.resolve("archive");
        var local = io.pitrconsole.repository.local.LocalDirectoryRepository.at(archive);
        assertThat(CheckedWal.forPlan(local.wal(), FILES, tmp.resolve("checked"), SEGMENT, true)).isEmpty();
        assertThat(tmp.resolve("checked")).doesNotExist();
    }

    private static byte[] read(WalStore wal, String name) throws Exception {
        try (InputStream in = wal.open(name)) {
            return in.readAllBytes();
        }
    }
}
