package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Damage done to a backup after it was taken must make verify fail and name what is wrong. */
class BackupVerifyFailuresTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @BeforeAll
    static void someData() {
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 50000) g");
    }

    private BackupService service() {
        return new BackupService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    private BackupRecord backup(Compression c) {
        return service().create(BackupRequest.defaults(pg.cluster().connection()).withCompression(c),
                ProgressListener.NONE, Cancellation.none()).backup();
    }

    private VerifyReport verify(BackupRecord r) {
        return service().verify(r.id(), ProgressListener.NONE, Cancellation.none());
    }

    @Test
    void flippedByteInsideZstdTarFailsAndNamesTheFile() throws Exception {
        BackupRecord r = backup(Compression.ZSTD);
        Path tar = pg.cluster().archiveDir().resolve(r.id()).resolve("base.tar.zst");
        flipByte(tar, Files.size(tar) / 2);

        VerifyReport report = verify(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.file()).isNotBlank());
        assertThat(report.problems()).anySatisfy(p ->
                assertThat(p.file().equals("base.tar.zst") || p.detail().contains("base.tar.zst")).isTrue());
        assertThat(service().get(r.id()).status()).isEqualTo(BackupStatus.CORRUPT);
    }

    @Test
    void flippedByteInsideGzipTarFailsAndNamesTheFile() throws Exception {
        BackupRecord r = backup(Compression.GZIP);
        Path tar = pg.cluster().archiveDir().resolve(r.id()).resolve("base.tar.gz");
        flipByte(tar, Files.size(tar) / 3);

        VerifyReport report = verify(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p ->
                assertThat(p.file().equals("base.tar.gz") || p.detail().contains("base.tar.gz")).isTrue());
    }

    @Test
    void flippedByteInUncompressedFileContentIsAChecksumMismatchOnThatFile() throws Exception {
        BackupRecord r = backup(Compression.NONE);
        Path tar = pg.cluster().archiveDir().resolve(r.id()).resolve("base.tar");
        String victim = "PG_VERSION";
        long offset = contentOffset(tar, victim);
        flipByte(tar, offset);

        VerifyReport report = verify(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).extracting(VerifyProblem::file, VerifyProblem::kind)
                .contains(org.assertj.core.groups.Tuple.tuple(victim, "checksum"));
    }

    @Test
    void truncatedTarFailsAndNamesTheTar() throws Exception {
        BackupRecord r = backup(Compression.LZ4);
        Path tar = pg.cluster().archiveDir().resolve(r.id()).resolve("base.tar.lz4");
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        VerifyReport report = verify(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("base.tar.lz4");
            assertThat(p.kind()).isEqualTo("damaged");
        });
    }

    @Test
    void fileRemovedFromTheTarIsReportedMissingByName() throws Exception {
        BackupRecord r = backup(Compression.NONE);
        Path tar = pg.cluster().archiveDir().resolve(r.id()).resolve("base.tar");
        rewriteWithout(tar, "global/pg_control");

        VerifyReport report = verify(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).extracting(VerifyProblem::file, VerifyProblem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("global/pg_control", "missing"));
    }

    @Test
    void removedTarFileAndMissingWalAreReported() throws Exception {
        BackupRecord r = backup(Compression.ZSTD);
        Path dir = pg.cluster().archiveDir().resolve(r.id());
        Files.delete(dir.resolve("pg_wal.tar.zst").toFile().exists() ? dir.resolve("pg_wal.tar.zst") : dir.resolve("pg_wal.tar"));
        // without pg_wal.tar the WAL must come from the archive; hide it there too
        for (String seg : walSegmentsOf(r)) {
            Files.move(pg.cluster().walArchive().resolve(seg), pg.cluster().baseDir().resolve(seg));
        }
        try {
            VerifyReport report = verify(r);
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).extracting(VerifyProblem::kind).containsOnly("wal");
            assertThat(report.problems()).extracting(VerifyProblem::file).containsExactlyElementsOf(walSegmentsOf(r));
        } finally {
            for (String seg : walSegmentsOf(r)) {
                Files.move(pg.cluster().baseDir().resolve(seg), pg.cluster().walArchive().resolve(seg));
            }
        }
        assertThat(verify(r).ok()).as("with the archive's copies back, the WAL is found").isTrue();
    }

    @Test
    void tamperedManifestIsCaughtByItsOwnChecksum() throws Exception {
        BackupRecord r = backup(Compression.ZSTD);
        Path manifest = pg.cluster().archiveDir().resolve(r.id()).resolve("backup_manifest");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replaceFirst("\"Size\": (\\d)", "\"Size\": 9$1"));

        VerifyReport report = verify(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("backup_manifest");
            assertThat(p.detail()).contains("checksum");
        });
    }

    private java.util.List<String> walSegmentsOf(BackupRecord r) {
        var first = io.pitrconsole.core.WalSegmentName.containing(r.timeline(), r.startLsn(), r.walSegmentSize());
        var last = io.pitrconsole.core.WalSegmentName.containing(r.timeline(), new io.pitrconsole.core.Lsn(r.stopLsn().value() - 1), r.walSegmentSize());
        java.util.List<String> names = new java.util.ArrayList<>();
        for (var s = first; s.compareTo(last) <= 0; s = s.next()) {
            names.add(s.toString());
        }
        return names;
    }

    private static void flipByte(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }

    /** Byte offset in a plain tar where the content of the named entry starts. */
    private static long contentOffset(Path tar, String name) throws Exception {
        try (org.apache.commons.compress.archivers.tar.TarFile t = new org.apache.commons.compress.archivers.tar.TarFile(tar)) {
            for (TarArchiveEntry e : t.getEntries()) {
                if (e.getName().equals(name)) {
                    return e.getDataOffset();
                }
            }
        }
        throw new AssertionError(name + " not in " + tar);
    }

    private static void rewriteWithout(Path tar, String name) throws Exception {
        Path copy = tar.resolveSibling("rewrite.tmp");
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar));
             TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(copy))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.getName().equals(name)) {
                    continue;
                }
                out.putArchiveEntry(e);
                in.transferTo(out);
                out.closeArchiveEntry();
            }
        }
        Files.move(copy, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
