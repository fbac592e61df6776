package io.pitrconsole.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarExtractorTest {
    @TempDir
    Path tmp;

    /** An entry to put in a crafted tar: name, content (null for a directory) or a link target. */
    private record Item(String name, String content, String symlinkTo, String hardlinkTo) {
        static Item file(String name, String content) {
            return new Item(name, content, null, null);
        }

        static Item dir(String name) {
            return new Item(name, null, null, null);
        }

        static Item symlink(String name, String to) {
            return new Item(name, null, to, null);
        }

        static Item hardlink(String name, String to) {
            return new Item(name, null, null, to);
        }
    }

    private Path tar(String fileName, List<Item> items) throws IOException {
        Path file = tmp.resolve(fileName);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream compressed = fileName.endsWith(".zst") ? new ZstdOutputStream(raw) : raw;
             TarArchiveOutputStream out = new TarArchiveOutputStream(compressed)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item i : items) {
                TarArchiveEntry e;
                if (i.symlinkTo() != null) {
                    e = new TarArchiveEntry(i.name(), TarConstants.LF_SYMLINK);
                    e.setLinkName(i.symlinkTo());
                } else if (i.hardlinkTo() != null) {
                    e = new TarArchiveEntry(i.name(), TarConstants.LF_LINK);
                    e.setLinkName(i.hardlinkTo());
                } else if (i.content() == null) {
                    e = new TarArchiveEntry(i.name().endsWith("/") ? i.name() : i.name() + "/");
                } else {
                    e = new TarArchiveEntry(i.name());
                    e.setSize(i.content().getBytes(StandardCharsets.UTF_8).length);
                    e.setMode(0600);
                }
                // TarArchiveEntry strips leading '/' and normalizes names; put hostile names back verbatim.
                setRawName(e, i.name());
                out.putArchiveEntry(e);
                if (i.content() != null) {
                    out.write(i.content().getBytes(StandardCharsets.UTF_8));
                }
                out.closeArchiveEntry();
            }
        }
        return file;
    }

    private static void setRawName(TarArchiveEntry e, String name) {
        try {
            var f = TarArchiveEntry.class.getDeclaredField("name");
            f.setAccessible(true);
            f.set(e, e.isDirectory() && !name.endsWith("/") ? name + "/" : name);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private List<Path> everythingUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }

    private void extract(Path tarFile, Path dest) {
        new SafeTarExtractor().extract(tarFile, dest, ProgressListener.NONE, Cancellation.none());
    }

    @Test
    void extractsFilesDirectoriesAndInsideLinksFromZstdTar() throws IOException {
        Path t = tar("base.tar.zst", List.of(Item.dir("global"), Item.file("global/pg_control", "control"),
                Item.file("base/1/1259", "rel"), Item.symlink("base/latest", "1"), Item.hardlink("global/copy", "global/pg_control"),
                Item.file("PG_VERSION", "15\n")));
        Path dest = tmp.resolve("data");

        extract(t, dest);

        assertThat(dest.resolve("global/pg_control")).hasContent("control");
        assertThat(dest.resolve("base/1/1259")).hasContent("rel");
        assertThat(dest.resolve("PG_VERSION")).hasContent("15");
        assertThat(Files.readSymbolicLink(dest.resolve("base/latest"))).isEqualTo(Path.of("1"));
        assertThat(dest.resolve("global/copy")).hasContent("control");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("global/pg_control")))).isEqualTo("rw-------");
    }

    @Test
    void refusesDotDotEntryAndWritesNothingOutside() throws IOException {
        Path outside = tmp.resolve("victim");
        Files.createDirectories(outside);
        List<Path> before = everythingUnder(tmp);
        Path t = tar("evil.tar", List.of(Item.file("ok", "fine"), Item.file("../victim/pwned", "x"),
                Item.file("a/../../victim/pwned2", "x")));
        Path dest = tmp.resolve("dest");

        assertThatThrownBy(() -> extract(t, dest)).isInstanceOf(PitrException.class)
                .hasMessageContaining("../victim/pwned").hasMessageContaining("'..'");

        assertThat(outside.resolve("pwned")).doesNotExist();
        assertThat(outside.resolve("pwned2")).doesNotExist();
        List<Path> after = everythingUnder(tmp).stream().filter(p -> !p.startsWith(dest) && !p.equals(t)).toList();
        assertThat(after).containsExactlyElementsOf(before);
    }

    @Test
    void refusesAbsolutePaths() throws IOException {
        Path t = tar("abs.tar", List.of(Item.file(tmp.resolve("abs-pwned").toString(), "x")));

        assertThatThrownBy(() -> extract(t, tmp.resolve("dest"))).hasMessageContaining("absolute path");
        assertThat(tmp.resolve("abs-pwned")).doesNotExist();
    }

    @Test
    void refusesLinksPointingOutsideAndWritesThroughLinks() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Path absLink = tar("abs-link.tar", List.of(Item.symlink("escape", outside.toString()), Item.file("escape/pwned", "x")));
        Path relLink = tar("rel-link.tar", List.of(Item.dir("a"), Item.symlink("a/up", "../../elsewhere")));
        Path hard = tar("hard.tar", List.of(Item.hardlink("h", "../elsewhere/secret")));
        Files.writeString(outside.resolve("secret"), "s");

        assertThatThrownBy(() -> extract(absLink, tmp.resolve("d1"))).hasMessageContaining("link pointing outside");
        assertThatThrownBy(() -> extract(relLink, tmp.resolve("d2"))).hasMessageContaining("link pointing outside");
        assertThatThrownBy(() -> extract(hard, tmp.resolve("d3"))).hasMessageContaining("'..'");
        assertThat(everythingUnder(outside)).containsExactly(outside, outside.resolve("secret"));
    }

    @Test
    void refusesWritingThroughAnInsideLinkThatWasReplaced() throws IOException {
        Path t = tar("through.tar", List.of(Item.dir("real"), Item.symlink("alias", "real"), Item.file("alias/f", "x")));

        assertThatThrownBy(() -> extract(t, tmp.resolve("d"))).hasMessageContaining("through the link alias");
        assertThat(tmp.resolve("d/real/f")).doesNotExist();
    }

    @Test
    void remapsNamedTablespaceLinks() throws IOException {
        Path newLocation = Files.createDirectories(tmp.resolve("ts-new"));
        Path t = tar("base.tar", List.of(Item.dir("pg_tblspc"), Item.symlink("pg_tblspc/16400", "/srv/old/ts")));
        Path dest = tmp.resolve("data");

        new SafeTarExtractor(Map.of("pg_tblspc/16400", newLocation), TarEntryLimits.NONE).extract(t, dest, ProgressListener.NONE, Cancellation.none());

        assertThat(Files.readSymbolicLink(dest.resolve("pg_tblspc/16400"))).isEqualTo(newLocation);
    }

    private Path specialEntryTar(String fileName, String name, byte type) throws IOException {
        Path file = tmp.resolve(fileName);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            e.setMode(0600);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }
        return file;
    }

    private static BackupManifest manifestOf(Map<String, Long> sizes) {
        Map<String, BackupManifest.FileEntry> files = new java.util.LinkedHashMap<>();
        sizes.forEach((p, n) -> files.put(p, new BackupManifest.FileEntry(p, n, "NONE", "")));
        return new BackupManifest(files, List.of(), true, null, 1, java.util.Optional.empty());
    }

    @Test
    void refusesFifoAndDeviceEntriesInsteadOfWritingEmptyFiles() throws IOException {
        Path fifo = specialEntryTar("fifo.tar", "PG_VERSION", TarConstants.LF_FIFO);
        Path chr = specialEntryTar("chr.tar", "global/pg_control", TarConstants.LF_CHR);
        Path blk = specialEntryTar("blk.tar", "base/1/1259", TarConstants.LF_BLK);

        assertThatThrownBy(() -> extract(fifo, tmp.resolve("d1"))).isInstanceOf(PitrException.class).hasMessageContaining("a fifo entry");
        assertThatThrownBy(() -> extract(chr, tmp.resolve("d2"))).isInstanceOf(PitrException.class).hasMessageContaining("a device entry");
        assertThatThrownBy(() -> extract(blk, tmp.resolve("d3"))).isInstanceOf(PitrException.class).hasMessageContaining("a device entry");
        assertThat(tmp.resolve("d1/PG_VERSION")).doesNotExist();
        assertThat(tmp.resolve("d2/global/pg_control")).doesNotExist();
        assertThat(tmp.resolve("d3/base/1/1259")).doesNotExist();
    }

    @Test
    void refusesGnuSparseEntryWithoutWritingItsRealSize() throws Exception {
        // GNU tar stores a sparse file as its data blocks plus a map: 256 MiB of holes fit in a few KB
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(src.resolve("16384").toFile(), "rw")) {
            f.setLength(256L << 20);
            f.seek((256L << 20) - 4);
            f.write(new byte[] {1, 2, 3, 4});
        }
        Path t = tmp.resolve("sparse.tar");
        Process p = new ProcessBuilder("tar", "--sparse", "--format=gnu", "-cf", t.toString(), "-C", src.toString(), "16384")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0).as("GNU tar wrote a sparse tar").isTrue();
        assertThat(Files.size(t)).isLessThan(1L << 20);
        Path dest = tmp.resolve("data");
        SafeTarExtractor bounded = new SafeTarExtractor(Map.of(), TarEntryLimits.manifest(manifestOf(Map.of("16384", 8192L)), ""));

        assertThatThrownBy(() -> bounded.extract(t, dest, ProgressListener.NONE, Cancellation.none()))
                .isInstanceOf(PitrException.class).hasMessageContaining("sparse entry of 268435456 bytes");
        assertThatThrownBy(() -> extract(t, tmp.resolve("data2"))).hasMessageContaining("sparse entry");
        assertThat(dest.resolve("16384")).doesNotExist();
        assertThat(tmp.resolve("data2/16384")).doesNotExist();
    }

    @Test
    void refusesFilesTheManifestDoesNotListOrListsSmaller() throws IOException {
        BackupManifest m = manifestOf(Map.of("PG_VERSION", 3L, "backup_label", 10L, "global/pg_control", 7L));
        Path good = tar("good.tar", List.of(Item.dir("global"), Item.file("global/pg_control", "control"),
                Item.file("./PG_VERSION", "15\n"), Item.dir("pg_wal"), Item.dir("./pg_wal/archive_status")));
        Path extra = tar("extra.tar", List.of(Item.file("PG_VERSION", "15\n"), Item.file("postgresql.auto.conf", "archive_command='x'")));
        Path larger = tar("larger.tar", List.of(Item.file("backup_label", "START WAL LOCATION: 0/2000028")));
        SafeTarExtractor bounded = new SafeTarExtractor(Map.of(), TarEntryLimits.manifest(m, ""));

        bounded.extract(good, tmp.resolve("ok"), ProgressListener.NONE, Cancellation.none());
        assertThat(tmp.resolve("ok/global/pg_control")).hasContent("control");
        assertThatThrownBy(() -> bounded.extract(extra, tmp.resolve("d1"), ProgressListener.NONE, Cancellation.none()))
                .isInstanceOf(PitrException.class).hasMessageContaining("'postgresql.auto.conf' is not listed in the backup's manifest");
        assertThatThrownBy(() -> bounded.extract(larger, tmp.resolve("d2"), ProgressListener.NONE, Cancellation.none()))
                .isInstanceOf(PitrException.class).hasMessageContaining("is 29 bytes, the manifest says 10");
        assertThat(tmp.resolve("d1/postgresql.auto.conf")).doesNotExist();
        assertThat(tmp.resolve("d2/backup_label")).doesNotExist();
    }

    @Test
    void tablespaceTarsAreCheckedUnderTheirPrefixAndWalTarsHoldOnlyWal() throws IOException {
        BackupManifest m = manifestOf(Map.of("pg_tblspc/16384/PG_15_202209061/5/16385", 4L));
        Path ts = tar("16384.tar", List.of(Item.dir("PG_15_202209061/5"), Item.file("PG_15_202209061/5/16385", "page")));
        Path wal = tar("pg_wal.tar", List.of(Item.file("000000010000000000000002", "wal"), Item.file("00000002.history", "1\t0/3000000\tx\n"),
                Item.file("archive_status/000000010000000000000002.done", "")));
        Path notWal = tar("pg_wal2.tar", List.of(Item.file("000000010000000000000002", "wal"), Item.file("../../postgresql.conf", "x")));
        Path notWal2 = tar("pg_wal3.tar", List.of(Item.file("evil.sh", "x")));

        new SafeTarExtractor(Map.of(), TarEntryLimits.manifest(m, "pg_tblspc/16384/")).extract(ts, tmp.resolve("ts"), ProgressListener.NONE, Cancellation.none());
        new SafeTarExtractor(Map.of(), TarEntryLimits.walFiles()).extract(wal, tmp.resolve("wal"), ProgressListener.NONE, Cancellation.none());

        assertThat(tmp.resolve("ts/PG_15_202209061/5/16385")).hasContent("page");
        assertThat(tmp.resolve("wal/00000002.history")).exists();
        assertThatThrownBy(() -> new SafeTarExtractor(Map.of(), TarEntryLimits.walFiles()).extract(notWal, tmp.resolve("w2"), ProgressListener.NONE, Cancellation.none()))
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> new SafeTarExtractor(Map.of(), TarEntryLimits.walFiles()).extract(notWal2, tmp.resolve("w3"), ProgressListener.NONE, Cancellation.none()))
                .hasMessageContaining("'evil.sh' is not a WAL file name");
    }
}
