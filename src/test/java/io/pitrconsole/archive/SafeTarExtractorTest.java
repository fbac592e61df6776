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

        new SafeTarExtractor(Map.of("pg_tblspc/16400", newLocation)).extract(t, dest, ProgressListener.NONE, Cancellation.none());

        assertThat(Files.readSymbolicLink(dest.resolve("pg_tblspc/16400"))).isEqualTo(newLocation);
    }
}
